"""gongkai (公开): government information disclosure for a Chinese administrative agency."""
