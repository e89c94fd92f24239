# tests of src/render
