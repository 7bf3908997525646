"""New media and public communication (政务新媒体、回应关切、新闻发布): plain rules, no Django."""
