# sources of src/cache
