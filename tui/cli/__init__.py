"""The command line: one face of the program, beside the full-screen one.

It parses, calls the application layer (``domain`` services and
``sync.service``) and prints; it holds no logic the full-screen program
would need.  It never imports Textual or the full-screen modules, and they
never import it (``tests/test_boundaries.py``).  Each module registers one
group of commands with ``register(sub)``; ``main.COMMAND_MODULES`` lists them.
"""
