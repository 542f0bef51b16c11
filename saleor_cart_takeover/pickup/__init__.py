"""Pickup contacts: who may collect a click-and-collect order, and the rules their document follows."""
