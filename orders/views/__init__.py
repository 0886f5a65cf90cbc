"""Order pages: the reseller's list and tracking page, actions on orders, support's search."""
