"""The print edition: editions, newspaper layout, PDF."""
