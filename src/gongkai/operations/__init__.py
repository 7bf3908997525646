"""Running gongkai in production: health check, worker heartbeat, request logs, backup and restore."""
