# sources of src/demo
