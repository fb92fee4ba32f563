DETACH fresh
