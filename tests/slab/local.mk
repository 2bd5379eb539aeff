# tests/slab: file lists
