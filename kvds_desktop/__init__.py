"""KVDS Desktop: the coordinator's application for the learning location 'Klaar voor de Start'."""

__version__ = "0.1.0"
APP_NAME = "KVDS Desktop"
APP_ID = "kvds-desktop"
