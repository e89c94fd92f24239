"""Write routes."""
