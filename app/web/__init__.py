"""Server-rendered pages (Jinja2, autoescaped): sign-in, the home page, the API docs served offline."""
