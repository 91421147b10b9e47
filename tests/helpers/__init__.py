"""Helpers shared by the test modules: the pycrate oracle, Hypothesis strategies, simulation
shortcuts and the SCTP VM runner."""
