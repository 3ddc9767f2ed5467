"""The customer file's records: persons, companies, leads, their contact points and relationships."""
