"""Charts (matplotlib) and networks (vis-network): imported only by the faces that draw."""
