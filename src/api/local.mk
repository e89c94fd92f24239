# sources of src/api
