"""The default templates, shipped in the package as ``generator.site_templates``.

``pages/`` holds the Jinja2 templates of the generated Markdown, ``overrides/``
the Material theme overrides. A project's own ``site_templates/`` (the plugin's
``templates_dir``) overrides them file by file.
"""
