"""CLI simulator of the lab devices over SSH (Huawei VRP, H3C Comware, Cisco IOS, Ruijie RGOS).

`python -m lab.ssh.server --state-dir DIR` serves every device of the lab on its own 127.x.y.z address.
The dialect renderers (`vrp`, `comware`, `ios`) take plain `DeviceView` records, so they can be tested without
a topology or a network.
"""
