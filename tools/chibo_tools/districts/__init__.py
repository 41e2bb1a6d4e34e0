"""District generators: a district's year entered through the running services, so that the
seeds' figures read back exactly as they are phrased."""
