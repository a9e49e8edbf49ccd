"""Forum pages under /c/<community_slug>/d/…: reading, posting, notifications, feeds."""
