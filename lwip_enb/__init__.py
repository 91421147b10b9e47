"""LTE-WLAN integration with IPsec tunnel (LWIP), eNB side."""

__version__ = "0.1.0"
