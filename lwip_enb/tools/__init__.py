"""What the command line runs: :mod:`lwip_enb.tools.cli`, the demo's scenarios, the benchmark,
the state diagram, decoded values as JSON."""
