# tests of src/cache
