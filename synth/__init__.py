"""The synthetic data generator (`synth.generator`): it writes canonical input files with planted
dishonesty rings and never touches the graph, so it sits beside the loaders, not inside them."""
