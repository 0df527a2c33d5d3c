"""The public side: ``/feed.xml`` (RSS 2.0) and the ``/jobs`` pages, no sign-in needed."""
