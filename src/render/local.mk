# sources of src/render
