"""Admin features: roles and the audit log, the broadcast composer, statistics with a chart."""
