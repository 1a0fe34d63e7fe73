"""Remote clip libraries over HTTP: the one httpx client, the source readers, refresh and the prefetch cache."""
