"""The full-screen program (Textual).  Only this package imports Textual."""
