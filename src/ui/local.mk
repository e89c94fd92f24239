# sources of src/ui
