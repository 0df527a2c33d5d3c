"""The WeCom (企业微信) adapter: group robots (``robot``, ``robots``) and customer groups'
mass sends (``customer``), their texts (``markdown``), the HTTP client (``http``), the
access token (``token``) and how a process wires them in (``wiring``)."""
