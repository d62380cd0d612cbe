"""The build graph: inputs, derived values with the reads they recorded, and the store that keeps them between builds."""
