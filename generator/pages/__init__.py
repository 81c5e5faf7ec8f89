"""Which pages exist and what each shows: the plan, the renderer, links, fragments, what changed."""
