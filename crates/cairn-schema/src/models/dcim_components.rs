//! dcim: device component templates (of device and module types) and device components.
//!
//! Cable and path state (`cable`, `cable_end`, `wireless_link`) is stored but read-only:
//! cables and wireless links set it. Everything derived from cable paths is computed and
//! shows what NetBox shows for an unconnected port until cables exist.

use crate::choices;
use crate::field::*;
use crate::object_type::{with_note, Display, ExtraFilter, Key, ObjectType, RowText};

// Choice sets as NetBox 4.4 lists them (flattened groups, NetBox's order). Console port
// speeds are integers in NetBox; here their values are their decimal text.

// NetBox ConsolePortTypeChoices.
choices!(CONSOLE_PORT_TYPE,
    "de-9" => "DE-9",
    "db-25" => "DB-25",
    "rj-11" => "RJ-11",
    "rj-12" => "RJ-12",
    "rj-45" => "RJ-45",
    "mini-din-8" => "Mini-DIN 8",
    "usb-a" => "USB Type A",
    "usb-b" => "USB Type B",
    "usb-c" => "USB Type C",
    "usb-mini-a" => "USB Mini A",
    "usb-mini-b" => "USB Mini B",
    "usb-micro-a" => "USB Micro A",
    "usb-micro-b" => "USB Micro B",
    "usb-micro-ab" => "USB Micro AB",
    "other" => "Other",
);

// NetBox ConsolePortSpeedChoices.
choices!(numeric CONSOLE_PORT_SPEED,
    1200 => "1200 bps",
    2400 => "2400 bps",
    4800 => "4800 bps",
    9600 => "9600 bps",
    19200 => "19.2 kbps",
    38400 => "38.4 kbps",
    57600 => "57.6 kbps",
    115200 => "115.2 kbps",
);

// NetBox PowerPortTypeChoices.
choices!(POWER_PORT_TYPE,
    "iec-60320-c6" => "C6",
    "iec-60320-c8" => "C8",
    "iec-60320-c14" => "C14",
    "iec-60320-c16" => "C16",
    "iec-60320-c18" => "C18",
    "iec-60320-c20" => "C20",
    "iec-60320-c22" => "C22",
    "iec-60309-p-n-e-4h" => "P+N+E 4H",
    "iec-60309-p-n-e-6h" => "P+N+E 6H",
    "iec-60309-p-n-e-9h" => "P+N+E 9H",
    "iec-60309-2p-e-4h" => "2P+E 4H",
    "iec-60309-2p-e-6h" => "2P+E 6H",
    "iec-60309-2p-e-9h" => "2P+E 9H",
    "iec-60309-3p-e-4h" => "3P+E 4H",
    "iec-60309-3p-e-6h" => "3P+E 6H",
    "iec-60309-3p-e-9h" => "3P+E 9H",
    "iec-60309-3p-n-e-4h" => "3P+N+E 4H",
    "iec-60309-3p-n-e-6h" => "3P+N+E 6H",
    "iec-60309-3p-n-e-9h" => "3P+N+E 9H",
    "iec-60906-1" => "IEC 60906-1",
    "nbr-14136-10a" => "2P+T 10A (NBR 14136)",
    "nbr-14136-20a" => "2P+T 20A (NBR 14136)",
    "nema-1-15p" => "NEMA 1-15P",
    "nema-5-15p" => "NEMA 5-15P",
    "nema-5-20p" => "NEMA 5-20P",
    "nema-5-30p" => "NEMA 5-30P",
    "nema-5-50p" => "NEMA 5-50P",
    "nema-6-15p" => "NEMA 6-15P",
    "nema-6-20p" => "NEMA 6-20P",
    "nema-6-30p" => "NEMA 6-30P",
    "nema-6-50p" => "NEMA 6-50P",
    "nema-10-30p" => "NEMA 10-30P",
    "nema-10-50p" => "NEMA 10-50P",
    "nema-14-20p" => "NEMA 14-20P",
    "nema-14-30p" => "NEMA 14-30P",
    "nema-14-50p" => "NEMA 14-50P",
    "nema-14-60p" => "NEMA 14-60P",
    "nema-15-15p" => "NEMA 15-15P",
    "nema-15-20p" => "NEMA 15-20P",
    "nema-15-30p" => "NEMA 15-30P",
    "nema-15-50p" => "NEMA 15-50P",
    "nema-15-60p" => "NEMA 15-60P",
    "nema-l1-15p" => "NEMA L1-15P",
    "nema-l5-15p" => "NEMA L5-15P",
    "nema-l5-20p" => "NEMA L5-20P",
    "nema-l5-30p" => "NEMA L5-30P",
    "nema-l5-50p" => "NEMA L5-50P",
    "nema-l6-15p" => "NEMA L6-15P",
    "nema-l6-20p" => "NEMA L6-20P",
    "nema-l6-30p" => "NEMA L6-30P",
    "nema-l6-50p" => "NEMA L6-50P",
    "nema-l10-30p" => "NEMA L10-30P",
    "nema-l14-20p" => "NEMA L14-20P",
    "nema-l14-30p" => "NEMA L14-30P",
    "nema-l14-50p" => "NEMA L14-50P",
    "nema-l14-60p" => "NEMA L14-60P",
    "nema-l15-20p" => "NEMA L15-20P",
    "nema-l15-30p" => "NEMA L15-30P",
    "nema-l15-50p" => "NEMA L15-50P",
    "nema-l15-60p" => "NEMA L15-60P",
    "nema-l21-20p" => "NEMA L21-20P",
    "nema-l21-30p" => "NEMA L21-30P",
    "nema-l22-20p" => "NEMA L22-20P",
    "nema-l22-30p" => "NEMA L22-30P",
    "cs6361c" => "CS6361C",
    "cs6365c" => "CS6365C",
    "cs8165c" => "CS8165C",
    "cs8265c" => "CS8265C",
    "cs8365c" => "CS8365C",
    "cs8465c" => "CS8465C",
    "ita-c" => "ITA Type C (CEE 7/16)",
    "ita-e" => "ITA Type E (CEE 7/6)",
    "ita-f" => "ITA Type F (CEE 7/4)",
    "ita-ef" => "ITA Type E/F (CEE 7/7)",
    "ita-g" => "ITA Type G (BS 1363)",
    "ita-h" => "ITA Type H",
    "ita-i" => "ITA Type I",
    "ita-j" => "ITA Type J",
    "ita-k" => "ITA Type K",
    "ita-l" => "ITA Type L (CEI 23-50)",
    "ita-m" => "ITA Type M (BS 546)",
    "ita-n" => "ITA Type N",
    "ita-o" => "ITA Type O",
    "usb-a" => "USB Type A",
    "usb-b" => "USB Type B",
    "usb-c" => "USB Type C",
    "usb-mini-a" => "USB Mini A",
    "usb-mini-b" => "USB Mini B",
    "usb-micro-a" => "USB Micro A",
    "usb-micro-b" => "USB Micro B",
    "usb-micro-ab" => "USB Micro AB",
    "usb-3-b" => "USB 3.0 Type B",
    "usb-3-micro-b" => "USB 3.0 Micro B",
    "molex-micro-fit-1x2" => "Molex Micro-Fit 1x2",
    "molex-micro-fit-2x2" => "Molex Micro-Fit 2x2",
    "molex-micro-fit-2x3" => "Molex Micro-Fit 2x3",
    "molex-micro-fit-2x4" => "Molex Micro-Fit 2x4",
    "dc-terminal" => "DC Terminal",
    "saf-d-grid" => "Saf-D-Grid",
    "neutrik-powercon-20" => "Neutrik powerCON (20A)",
    "neutrik-powercon-32" => "Neutrik powerCON (32A)",
    "neutrik-powercon-true1" => "Neutrik powerCON TRUE1",
    "neutrik-powercon-true1-top" => "Neutrik powerCON TRUE1 TOP",
    "ubiquiti-smartpower" => "Ubiquiti SmartPower",
    "hardwired" => "Hardwired",
    "other" => "Other",
);

// NetBox PowerOutletTypeChoices.
choices!(POWER_OUTLET_TYPE,
    "iec-60320-c5" => "C5",
    "iec-60320-c7" => "C7",
    "iec-60320-c13" => "C13",
    "iec-60320-c15" => "C15",
    "iec-60320-c17" => "C17",
    "iec-60320-c19" => "C19",
    "iec-60320-c21" => "C21",
    "iec-60309-p-n-e-4h" => "P+N+E 4H",
    "iec-60309-p-n-e-6h" => "P+N+E 6H",
    "iec-60309-p-n-e-9h" => "P+N+E 9H",
    "iec-60309-2p-e-4h" => "2P+E 4H",
    "iec-60309-2p-e-6h" => "2P+E 6H",
    "iec-60309-2p-e-9h" => "2P+E 9H",
    "iec-60309-3p-e-4h" => "3P+E 4H",
    "iec-60309-3p-e-6h" => "3P+E 6H",
    "iec-60309-3p-e-9h" => "3P+E 9H",
    "iec-60309-3p-n-e-4h" => "3P+N+E 4H",
    "iec-60309-3p-n-e-6h" => "3P+N+E 6H",
    "iec-60309-3p-n-e-9h" => "3P+N+E 9H",
    "iec-60906-1" => "IEC 60906-1",
    "nbr-14136-10a" => "2P+T 10A (NBR 14136)",
    "nbr-14136-20a" => "2P+T 20A (NBR 14136)",
    "nema-1-15r" => "NEMA 1-15R",
    "nema-5-15r" => "NEMA 5-15R",
    "nema-5-20r" => "NEMA 5-20R",
    "nema-5-30r" => "NEMA 5-30R",
    "nema-5-50r" => "NEMA 5-50R",
    "nema-6-15r" => "NEMA 6-15R",
    "nema-6-20r" => "NEMA 6-20R",
    "nema-6-30r" => "NEMA 6-30R",
    "nema-6-50r" => "NEMA 6-50R",
    "nema-10-30r" => "NEMA 10-30R",
    "nema-10-50r" => "NEMA 10-50R",
    "nema-14-20r" => "NEMA 14-20R",
    "nema-14-30r" => "NEMA 14-30R",
    "nema-14-50r" => "NEMA 14-50R",
    "nema-14-60r" => "NEMA 14-60R",
    "nema-15-15r" => "NEMA 15-15R",
    "nema-15-20r" => "NEMA 15-20R",
    "nema-15-30r" => "NEMA 15-30R",
    "nema-15-50r" => "NEMA 15-50R",
    "nema-15-60r" => "NEMA 15-60R",
    "nema-l1-15r" => "NEMA L1-15R",
    "nema-l5-15r" => "NEMA L5-15R",
    "nema-l5-20r" => "NEMA L5-20R",
    "nema-l5-30r" => "NEMA L5-30R",
    "nema-l5-50r" => "NEMA L5-50R",
    "nema-l6-15r" => "NEMA L6-15R",
    "nema-l6-20r" => "NEMA L6-20R",
    "nema-l6-30r" => "NEMA L6-30R",
    "nema-l6-50r" => "NEMA L6-50R",
    "nema-l10-30r" => "NEMA L10-30R",
    "nema-l14-20r" => "NEMA L14-20R",
    "nema-l14-30r" => "NEMA L14-30R",
    "nema-l14-50r" => "NEMA L14-50R",
    "nema-l14-60r" => "NEMA L14-60R",
    "nema-l15-20r" => "NEMA L15-20R",
    "nema-l15-30r" => "NEMA L15-30R",
    "nema-l15-50r" => "NEMA L15-50R",
    "nema-l15-60r" => "NEMA L15-60R",
    "nema-l21-20r" => "NEMA L21-20R",
    "nema-l21-30r" => "NEMA L21-30R",
    "nema-l22-20r" => "NEMA L22-20R",
    "nema-l22-30r" => "NEMA L22-30R",
    "CS6360C" => "CS6360C",
    "CS6364C" => "CS6364C",
    "CS8164C" => "CS8164C",
    "CS8264C" => "CS8264C",
    "CS8364C" => "CS8364C",
    "CS8464C" => "CS8464C",
    "ita-e" => "ITA Type E (CEE 7/5)",
    "ita-f" => "ITA Type F (CEE 7/3)",
    "ita-g" => "ITA Type G (BS 1363)",
    "ita-h" => "ITA Type H",
    "ita-i" => "ITA Type I",
    "ita-j" => "ITA Type J",
    "ita-k" => "ITA Type K",
    "ita-l" => "ITA Type L (CEI 23-50)",
    "ita-m" => "ITA Type M (BS 546)",
    "ita-n" => "ITA Type N",
    "ita-o" => "ITA Type O",
    "ita-multistandard" => "ITA Multistandard",
    "usb-a" => "USB Type A",
    "usb-micro-b" => "USB Micro B",
    "usb-c" => "USB Type C",
    "molex-micro-fit-1x2" => "Molex Micro-Fit 1x2",
    "molex-micro-fit-2x2" => "Molex Micro-Fit 2x2",
    "molex-micro-fit-2x3" => "Molex Micro-Fit 2x3",
    "molex-micro-fit-2x4" => "Molex Micro-Fit 2x4",
    "dc-terminal" => "DC Terminal",
    "eaton-c39" => "Eaton C39",
    "hdot-cx" => "HDOT Cx",
    "saf-d-grid" => "Saf-D-Grid",
    "neutrik-powercon-20a" => "Neutrik powerCON (20A)",
    "neutrik-powercon-32a" => "Neutrik powerCON (32A)",
    "neutrik-powercon-true1" => "Neutrik powerCON TRUE1",
    "neutrik-powercon-true1-top" => "Neutrik powerCON TRUE1 TOP",
    "ubiquiti-smartpower" => "Ubiquiti SmartPower",
    "hardwired" => "Hardwired",
    "other" => "Other",
);

// NetBox PowerOutletFeedLegChoices.
choices!(POWER_OUTLET_FEED_LEG,
    "A" => "A",
    "B" => "B",
    "C" => "C",
);

// NetBox PowerOutletStatusChoices.
choices!(POWER_OUTLET_STATUS,
    "enabled" => "Enabled" / "green",
    "disabled" => "Disabled" / "red",
    "faulty" => "Faulty" / "gray",
);

// NetBox InterfaceTypeChoices.
choices!(INTERFACE_TYPE,
    "virtual" => "Virtual",
    "bridge" => "Bridge",
    "lag" => "Link Aggregation Group (LAG)",
    "100base-fx" => "100BASE-FX (10/100ME)",
    "100base-lfx" => "100BASE-LFX (10/100ME)",
    "100base-tx" => "100BASE-TX (10/100ME)",
    "100base-t1" => "100BASE-T1 (10/100ME)",
    "1000base-bx10-d" => "1000BASE-BX10-D (1GE BiDi Down)",
    "1000base-bx10-u" => "1000BASE-BX10-U (1GE BiDi Up)",
    "1000base-cwdm" => "1000BASE-CWDM (1GE)",
    "1000base-cx" => "1000BASE-CX (1GE DAC)",
    "1000base-dwdm" => "1000BASE-DWDM (1GE)",
    "1000base-ex" => "1000BASE-EX (1GE)",
    "1000base-lsx" => "1000BASE-LSX (1GE)",
    "1000base-lx" => "1000BASE-LX (1GE)",
    "1000base-lx10" => "1000BASE-LX10/LH (1GE)",
    "1000base-sx" => "1000BASE-SX (1GE)",
    "1000base-t" => "1000BASE-T (1GE)",
    "1000base-tx" => "1000BASE-TX (1GE)",
    "1000base-zx" => "1000BASE-ZX (1GE)",
    "2.5gbase-t" => "2.5GBASE-T (2.5GE)",
    "5gbase-t" => "5GBASE-T (5GE)",
    "10gbase-br-d" => "10GBASE-BR-D (10GE BiDi Down)",
    "10gbase-br-u" => "10GBASE-BR-U (10GE BiDi Up)",
    "10gbase-cx4" => "10GBASE-CX4 (10GE DAC)",
    "10gbase-er" => "10GBASE-ER (10GE)",
    "10gbase-lr" => "10GBASE-LR (10GE)",
    "10gbase-lrm" => "10GBASE-LRM (10GE)",
    "10gbase-lx4" => "10GBASE-LX4 (10GE)",
    "10gbase-sr" => "10GBASE-SR (10GE)",
    "10gbase-t" => "10GBASE-T (10GE)",
    "10gbase-zr" => "10GBASE-ZR (10GE)",
    "25gbase-cr" => "25GBASE-CR (25GE DAC)",
    "25gbase-er" => "25GBASE-ER (25GE)",
    "25gbase-lr" => "25GBASE-LR (25GE)",
    "25gbase-sr" => "25GBASE-SR (25GE)",
    "25gbase-t" => "25GBASE-T (25GE)",
    "40gbase-cr4" => "40GBASE-CR4 (40GE DAC)",
    "40gbase-er4" => "40GBASE-ER4 (40GE)",
    "40gbase-fr4" => "40GBASE-FR4 (40GE)",
    "40gbase-lr4" => "40GBASE-LR4 (40GE)",
    "40gbase-sr4" => "40GBASE-SR4 (40GE)",
    "50gbase-cr" => "50GBASE-CR (50GE DAC)",
    "50gbase-er" => "50GBASE-ER (50GE)",
    "50gbase-fr" => "50GBASE-FR (50GE)",
    "50gbase-lr" => "50GBASE-LR (50GE)",
    "50gbase-sr" => "50GBASE-SR (50GE)",
    "100gbase-cr1" => "100GBASE-CR1 (100GE DAC)",
    "100gbase-cr2" => "100GBASE-CR2 (100GE DAC)",
    "100gbase-cr4" => "100GBASE-CR4 (100GE DAC)",
    "100gbase-cr10" => "100GBASE-CR10 (100GE DAC)",
    "100gbase-cwdm4" => "100GBASE-CWDM4 (100GE)",
    "100gbase-dr" => "100GBASE-DR (100GE)",
    "100gbase-er4" => "100GBASE-ER4 (100GE)",
    "100gbase-fr1" => "100GBASE-FR1 (100GE)",
    "100gbase-lr1" => "100GBASE-LR1 (100GE)",
    "100gbase-lr4" => "100GBASE-LR4 (100GE)",
    "100gbase-sr1" => "100GBASE-SR1 (100GE)",
    "100gbase-sr1.2" => "100GBASE-SR1.2 (100GE BiDi)",
    "100gbase-sr2" => "100GBASE-SR2 (100GE)",
    "100gbase-sr4" => "100GBASE-SR4 (100GE)",
    "100gbase-sr10" => "100GBASE-SR10 (100GE)",
    "100gbase-zr" => "100GBASE-ZR (100GE)",
    "200gbase-cr2" => "200GBASE-CR2 (200GE)",
    "200gbase-cr4" => "200GBASE-CR4 (200GE)",
    "200gbase-dr4" => "200GBASE-DR4 (200GE)",
    "200gbase-er4" => "200GBASE-ER4 (200GE)",
    "200gbase-fr4" => "200GBASE-FR4 (200GE)",
    "200gbase-lr4" => "200GBASE-LR4 (200GE)",
    "200gbase-sr2" => "200GBASE-SR2 (200GE)",
    "200gbase-sr4" => "200GBASE-SR4 (200GE)",
    "200gbase-vr2" => "200GBASE-VR2 (200GE)",
    "400gbase-cr4" => "400GBASE-CR4 (400GE)",
    "400gbase-dr4" => "400GBASE-DR4 (400GE)",
    "400gbase-er8" => "400GBASE-ER8 (400GE)",
    "400gbase-fr4" => "400GBASE-FR4 (400GE)",
    "400gbase-fr8" => "400GBASE-FR8 (400GE)",
    "400gbase-lr4" => "400GBASE-LR4 (400GE)",
    "400gbase-lr8" => "400GBASE-LR8 (400GE)",
    "400gbase-sr4" => "400GBASE-SR4 (400GE)",
    "400gbase-sr4_2" => "400GBASE-SR4.2 (400GE BiDi)",
    "400gbase-sr8" => "400GBASE-SR8 (400GE)",
    "400gbase-sr16" => "400GBASE-SR16 (400GE)",
    "400gbase-vr4" => "400GBASE-VR4 (400GE)",
    "400gbase-zr" => "400GBASE-ZR (400GE)",
    "800gbase-cr8" => "800GBASE-CR8 (800GE)",
    "800gbase-dr8" => "800GBASE-DR8 (800GE)",
    "800gbase-sr8" => "800GBASE-SR8 (800GE)",
    "800gbase-vr8" => "800GBASE-VR8 (800GE)",
    "100base-x-sfp" => "SFP (100ME)",
    "1000base-x-gbic" => "GBIC (1GE)",
    "1000base-x-sfp" => "SFP (1GE)",
    "10gbase-x-sfpp" => "SFP+ (10GE)",
    "10gbase-x-xenpak" => "XENPAK (10GE)",
    "10gbase-x-xfp" => "XFP (10GE)",
    "10gbase-x-x2" => "X2 (10GE)",
    "25gbase-x-sfp28" => "SFP28 (25GE)",
    "40gbase-x-qsfpp" => "QSFP+ (40GE)",
    "50gbase-x-sfp28" => "QSFP28 (50GE)",
    "50gbase-x-sfp56" => "SFP56 (50GE)",
    "100gbase-x-cfp" => "CFP (100GE)",
    "100gbase-x-cfp2" => "CFP2 (100GE)",
    "100gbase-x-cfp4" => "CFP4 (100GE)",
    "100gbase-x-cxp" => "CXP (100GE)",
    "100gbase-x-cpak" => "Cisco CPAK (100GE)",
    "100gbase-x-dsfp" => "DSFP (100GE)",
    "100gbase-x-qsfp28" => "QSFP28 (100GE)",
    "100gbase-x-qsfpdd" => "QSFP-DD (100GE)",
    "100gbase-x-sfpdd" => "SFP-DD (100GE)",
    "200gbase-x-cfp2" => "CFP2 (200GE)",
    "200gbase-x-qsfp56" => "QSFP56 (200GE)",
    "200gbase-x-qsfpdd" => "QSFP-DD (200GE)",
    "400gbase-x-qsfp112" => "QSFP112 (400GE)",
    "400gbase-x-qsfpdd" => "QSFP-DD (400GE)",
    "400gbase-x-cdfp" => "CDFP (400GE)",
    "400gbase-x-cfp2" => "CFP2 (400GE)",
    "400gbase-x-cfp8" => "CPF8 (400GE)",
    "400gbase-x-osfp" => "OSFP (400GE)",
    "400gbase-x-osfp-rhs" => "OSFP-RHS (400GE)",
    "800gbase-x-osfp" => "OSFP (800GE)",
    "800gbase-x-qsfpdd" => "QSFP-DD (800GE)",
    "1000base-kx" => "1000BASE-KX (1GE)",
    "2.5gbase-kx" => "2.5GBASE-KX (2.5GE)",
    "5gbase-kr" => "5GBASE-KR (5GE)",
    "10gbase-kr" => "10GBASE-KR (10GE)",
    "10gbase-kx4" => "10GBASE-KX4 (10GE)",
    "25gbase-kr" => "25GBASE-KR (25GE)",
    "40gbase-kr4" => "40GBASE-KR4 (40GE)",
    "50gbase-kr" => "50GBASE-KR (50GE)",
    "100gbase-kp4" => "100GBASE-KP4 (100GE)",
    "100gbase-kr2" => "100GBASE-KR2 (100GE)",
    "100gbase-kr4" => "100GBASE-KR4 (100GE)",
    "ieee802.11a" => "IEEE 802.11a",
    "ieee802.11g" => "IEEE 802.11b/g",
    "ieee802.11n" => "IEEE 802.11n (Wi-Fi 4)",
    "ieee802.11ac" => "IEEE 802.11ac (Wi-Fi 5)",
    "ieee802.11ad" => "IEEE 802.11ad (WiGig)",
    "ieee802.11ax" => "IEEE 802.11ax (Wi-Fi 6)",
    "ieee802.11ay" => "IEEE 802.11ay (WiGig)",
    "ieee802.11be" => "IEEE 802.11be (Wi-Fi 7)",
    "ieee802.15.1" => "IEEE 802.15.1 (Bluetooth)",
    "ieee802.15.4" => "IEEE 802.15.4 (LR-WPAN)",
    "other-wireless" => "Other (Wireless)",
    "gsm" => "GSM",
    "cdma" => "CDMA",
    "lte" => "LTE",
    "4g" => "4G",
    "5g" => "5G",
    "sonet-oc3" => "OC-3/STM-1",
    "sonet-oc12" => "OC-12/STM-4",
    "sonet-oc48" => "OC-48/STM-16",
    "sonet-oc192" => "OC-192/STM-64",
    "sonet-oc768" => "OC-768/STM-256",
    "sonet-oc1920" => "OC-1920/STM-640",
    "sonet-oc3840" => "OC-3840/STM-1234",
    "1gfc-sfp" => "SFP (1GFC)",
    "2gfc-sfp" => "SFP (2GFC)",
    "4gfc-sfp" => "SFP (4GFC)",
    "8gfc-sfpp" => "SFP+ (8GFC)",
    "16gfc-sfpp" => "SFP+ (16GFC)",
    "32gfc-sfp28" => "SFP28 (32GFC)",
    "32gfc-sfpp" => "SFP+ (32GFC)",
    "64gfc-qsfpp" => "QSFP+ (64GFC)",
    "64gfc-sfpdd" => "SFP-DD (64GFC)",
    "64gfc-sfpp" => "SFP+ (64GFC)",
    "128gfc-qsfp28" => "QSFP28 (128GFC)",
    "infiniband-sdr" => "SDR (2 Gbps)",
    "infiniband-ddr" => "DDR (4 Gbps)",
    "infiniband-qdr" => "QDR (8 Gbps)",
    "infiniband-fdr10" => "FDR10 (10 Gbps)",
    "infiniband-fdr" => "FDR (13.5 Gbps)",
    "infiniband-edr" => "EDR (25 Gbps)",
    "infiniband-hdr" => "HDR (50 Gbps)",
    "infiniband-ndr" => "NDR (100 Gbps)",
    "infiniband-xdr" => "XDR (250 Gbps)",
    "t1" => "T1 (1.544 Mbps)",
    "e1" => "E1 (2.048 Mbps)",
    "t3" => "T3 (45 Mbps)",
    "e3" => "E3 (34 Mbps)",
    "xdsl" => "xDSL",
    "docsis" => "DOCSIS",
    "moca" => "MoCA",
    "bpon" => "BPON (622 Mbps / 155 Mbps)",
    "epon" => "EPON (1 Gbps)",
    "10g-epon" => "10G-EPON (10 Gbps)",
    "gpon" => "GPON (2.5 Gbps / 1.25 Gbps)",
    "xg-pon" => "XG-PON (10 Gbps / 2.5 Gbps)",
    "xgs-pon" => "XGS-PON (10 Gbps)",
    "ng-pon2" => "NG-PON2 (TWDM-PON) (4x10 Gbps)",
    "25g-pon" => "25G-PON (25 Gbps)",
    "50g-pon" => "50G-PON (50 Gbps)",
    "cisco-stackwise" => "Cisco StackWise",
    "cisco-stackwise-plus" => "Cisco StackWise Plus",
    "cisco-flexstack" => "Cisco FlexStack",
    "cisco-flexstack-plus" => "Cisco FlexStack Plus",
    "cisco-stackwise-80" => "Cisco StackWise-80",
    "cisco-stackwise-160" => "Cisco StackWise-160",
    "cisco-stackwise-320" => "Cisco StackWise-320",
    "cisco-stackwise-480" => "Cisco StackWise-480",
    "cisco-stackwise-1t" => "Cisco StackWise-1T",
    "juniper-vcp" => "Juniper VCP",
    "extreme-summitstack" => "Extreme SummitStack",
    "extreme-summitstack-128" => "Extreme SummitStack-128",
    "extreme-summitstack-256" => "Extreme SummitStack-256",
    "extreme-summitstack-512" => "Extreme SummitStack-512",
    "other" => "Other",
);

// NetBox InterfaceDuplexChoices.
choices!(INTERFACE_DUPLEX,
    "half" => "Half",
    "full" => "Full",
    "auto" => "Auto",
);

// NetBox InterfaceModeChoices.
choices!(INTERFACE_MODE,
    "access" => "Access",
    "tagged" => "Tagged",
    "tagged-all" => "Tagged (All)",
    "q-in-q" => "Q-in-Q (802.1ad)",
);

// NetBox InterfacePoEModeChoices.
choices!(INTERFACE_POE_MODE,
    "pd" => "PD",
    "pse" => "PSE",
);

// NetBox InterfacePoETypeChoices.
choices!(INTERFACE_POE_TYPE,
    "type1-ieee802.3af" => "802.3af (Type 1)",
    "type2-ieee802.3at" => "802.3at (Type 2)",
    "type3-ieee802.3bt" => "802.3bt (Type 3)",
    "type4-ieee802.3bt" => "802.3bt (Type 4)",
    "passive-24v-2pair" => "Passive 24V (2-pair)",
    "passive-24v-4pair" => "Passive 24V (4-pair)",
    "passive-48v-2pair" => "Passive 48V (2-pair)",
    "passive-48v-4pair" => "Passive 48V (4-pair)",
);

// The wireless app's choice sets, used by interfaces (here until wireless is declared).
// NetBox WirelessRoleChoices.
choices!(WIRELESS_ROLE,
    "ap" => "Access point",
    "station" => "Station",
);

// NetBox WirelessChannelChoices.
choices!(WIRELESS_CHANNEL,
    "2.4g-1-2412-22" => "1 (2412 MHz)",
    "2.4g-2-2417-22" => "2 (2417 MHz)",
    "2.4g-3-2422-22" => "3 (2422 MHz)",
    "2.4g-4-2427-22" => "4 (2427 MHz)",
    "2.4g-5-2432-22" => "5 (2432 MHz)",
    "2.4g-6-2437-22" => "6 (2437 MHz)",
    "2.4g-7-2442-22" => "7 (2442 MHz)",
    "2.4g-8-2447-22" => "8 (2447 MHz)",
    "2.4g-9-2452-22" => "9 (2452 MHz)",
    "2.4g-10-2457-22" => "10 (2457 MHz)",
    "2.4g-11-2462-22" => "11 (2462 MHz)",
    "2.4g-12-2467-22" => "12 (2467 MHz)",
    "2.4g-13-2472-22" => "13 (2472 MHz)",
    "5g-32-5160-20" => "32 (5160/20 MHz)",
    "5g-34-5170-40" => "34 (5170/40 MHz)",
    "5g-36-5180-20" => "36 (5180/20 MHz)",
    "5g-38-5190-40" => "38 (5190/40 MHz)",
    "5g-40-5200-20" => "40 (5200/20 MHz)",
    "5g-42-5210-80" => "42 (5210/80 MHz)",
    "5g-44-5220-20" => "44 (5220/20 MHz)",
    "5g-46-5230-40" => "46 (5230/40 MHz)",
    "5g-48-5240-20" => "48 (5240/20 MHz)",
    "5g-50-5250-160" => "50 (5250/160 MHz)",
    "5g-52-5260-20" => "52 (5260/20 MHz)",
    "5g-54-5270-40" => "54 (5270/40 MHz)",
    "5g-56-5280-20" => "56 (5280/20 MHz)",
    "5g-58-5290-80" => "58 (5290/80 MHz)",
    "5g-60-5300-20" => "60 (5300/20 MHz)",
    "5g-62-5310-40" => "62 (5310/40 MHz)",
    "5g-64-5320-20" => "64 (5320/20 MHz)",
    "5g-100-5500-20" => "100 (5500/20 MHz)",
    "5g-102-5510-40" => "102 (5510/40 MHz)",
    "5g-104-5520-20" => "104 (5520/20 MHz)",
    "5g-106-5530-80" => "106 (5530/80 MHz)",
    "5g-108-5540-20" => "108 (5540/20 MHz)",
    "5g-110-5550-40" => "110 (5550/40 MHz)",
    "5g-112-5560-20" => "112 (5560/20 MHz)",
    "5g-114-5570-160" => "114 (5570/160 MHz)",
    "5g-116-5580-20" => "116 (5580/20 MHz)",
    "5g-118-5590-40" => "118 (5590/40 MHz)",
    "5g-120-5600-20" => "120 (5600/20 MHz)",
    "5g-122-5610-80" => "122 (5610/80 MHz)",
    "5g-124-5620-20" => "124 (5620/20 MHz)",
    "5g-126-5630-40" => "126 (5630/40 MHz)",
    "5g-128-5640-20" => "128 (5640/20 MHz)",
    "5g-132-5660-20" => "132 (5660/20 MHz)",
    "5g-134-5670-40" => "134 (5670/40 MHz)",
    "5g-136-5680-20" => "136 (5680/20 MHz)",
    "5g-138-5690-80" => "138 (5690/80 MHz)",
    "5g-140-5700-20" => "140 (5700/20 MHz)",
    "5g-142-5710-40" => "142 (5710/40 MHz)",
    "5g-144-5720-20" => "144 (5720/20 MHz)",
    "5g-149-5745-20" => "149 (5745/20 MHz)",
    "5g-151-5755-40" => "151 (5755/40 MHz)",
    "5g-153-5765-20" => "153 (5765/20 MHz)",
    "5g-155-5775-80" => "155 (5775/80 MHz)",
    "5g-157-5785-20" => "157 (5785/20 MHz)",
    "5g-159-5795-40" => "159 (5795/40 MHz)",
    "5g-161-5805-20" => "161 (5805/20 MHz)",
    "5g-163-5815-160" => "163 (5815/160 MHz)",
    "5g-165-5825-20" => "165 (5825/20 MHz)",
    "5g-167-5835-40" => "167 (5835/40 MHz)",
    "5g-169-5845-20" => "169 (5845/20 MHz)",
    "5g-171-5855-80" => "171 (5855/80 MHz)",
    "5g-173-5865-20" => "173 (5865/20 MHz)",
    "5g-175-5875-40" => "175 (5875/40 MHz)",
    "5g-177-5885-20" => "177 (5885/20 MHz)",
    "6g-1-5955-20" => "1 (5955/20 MHz)",
    "6g-3-5965-40" => "3 (5965/40 MHz)",
    "6g-5-5975-20" => "5 (5975/20 MHz)",
    "6g-7-5985-80" => "7 (5985/80 MHz)",
    "6g-9-5995-20" => "9 (5995/20 MHz)",
    "6g-11-6005-40" => "11 (6005/40 MHz)",
    "6g-13-6015-20" => "13 (6015/20 MHz)",
    "6g-15-6025-160" => "15 (6025/160 MHz)",
    "6g-17-6035-20" => "17 (6035/20 MHz)",
    "6g-19-6045-40" => "19 (6045/40 MHz)",
    "6g-21-6055-20" => "21 (6055/20 MHz)",
    "6g-23-6065-80" => "23 (6065/80 MHz)",
    "6g-25-6075-20" => "25 (6075/20 MHz)",
    "6g-27-6085-40" => "27 (6085/40 MHz)",
    "6g-29-6095-20" => "29 (6095/20 MHz)",
    "6g-31-6105-320" => "31 (6105/320 MHz)",
    "6g-33-6115-20" => "33 (6115/20 MHz)",
    "6g-35-6125-40" => "35 (6125/40 MHz)",
    "6g-37-6135-20" => "37 (6135/20 MHz)",
    "6g-39-6145-80" => "39 (6145/80 MHz)",
    "6g-41-6155-20" => "41 (6155/20 MHz)",
    "6g-43-6165-40" => "43 (6165/40 MHz)",
    "6g-45-6175-20" => "45 (6175/20 MHz)",
    "6g-47-6185-160" => "47 (6185/160 MHz)",
    "6g-49-6195-20" => "49 (6195/20 MHz)",
    "6g-51-6205-40" => "51 (6205/40 MHz)",
    "6g-53-6215-20" => "53 (6215/20 MHz)",
    "6g-55-6225-80" => "55 (6225/80 MHz)",
    "6g-57-6235-20" => "57 (6235/20 MHz)",
    "6g-59-6245-40" => "59 (6245/40 MHz)",
    "6g-61-6255-20" => "61 (6255/20 MHz)",
    "6g-65-6275-20" => "65 (6275/20 MHz)",
    "6g-67-6285-40" => "67 (6285/40 MHz)",
    "6g-69-6295-20" => "69 (6295/20 MHz)",
    "6g-71-6305-80" => "71 (6305/80 MHz)",
    "6g-73-6315-20" => "73 (6315/20 MHz)",
    "6g-75-6325-40" => "75 (6325/40 MHz)",
    "6g-77-6335-20" => "77 (6335/20 MHz)",
    "6g-79-6345-160" => "79 (6345/160 MHz)",
    "6g-81-6355-20" => "81 (6355/20 MHz)",
    "6g-83-6365-40" => "83 (6365/40 MHz)",
    "6g-85-6375-20" => "85 (6375/20 MHz)",
    "6g-87-6385-80" => "87 (6385/80 MHz)",
    "6g-89-6395-20" => "89 (6395/20 MHz)",
    "6g-91-6405-40" => "91 (6405/40 MHz)",
    "6g-93-6415-20" => "93 (6415/20 MHz)",
    "6g-95-6425-320" => "95 (6425/320 MHz)",
    "6g-97-6435-20" => "97 (6435/20 MHz)",
    "6g-99-6445-40" => "99 (6445/40 MHz)",
    "6g-101-6455-20" => "101 (6455/20 MHz)",
    "6g-103-6465-80" => "103 (6465/80 MHz)",
    "6g-105-6475-20" => "105 (6475/20 MHz)",
    "6g-107-6485-40" => "107 (6485/40 MHz)",
    "6g-109-6495-20" => "109 (6495/20 MHz)",
    "6g-111-6505-160" => "111 (6505/160 MHz)",
    "6g-113-6515-20" => "113 (6515/20 MHz)",
    "6g-115-6525-40" => "115 (6525/40 MHz)",
    "6g-117-6535-20" => "117 (6535/20 MHz)",
    "6g-119-6545-80" => "119 (6545/80 MHz)",
    "6g-121-6555-20" => "121 (6555/20 MHz)",
    "6g-123-6565-40" => "123 (6565/40 MHz)",
    "6g-125-6575-20" => "125 (6575/20 MHz)",
    "6g-129-6595-20" => "129 (6595/20 MHz)",
    "6g-131-6605-40" => "131 (6605/40 MHz)",
    "6g-133-6615-20" => "133 (6615/20 MHz)",
    "6g-135-6625-80" => "135 (6625/80 MHz)",
    "6g-137-6635-20" => "137 (6635/20 MHz)",
    "6g-139-6645-40" => "139 (6645/40 MHz)",
    "6g-141-6655-20" => "141 (6655/20 MHz)",
    "6g-143-6665-160" => "143 (6665/160 MHz)",
    "6g-145-6675-20" => "145 (6675/20 MHz)",
    "6g-147-6685-40" => "147 (6685/40 MHz)",
    "6g-149-6695-20" => "149 (6695/20 MHz)",
    "6g-151-6705-80" => "151 (6705/80 MHz)",
    "6g-153-6715-20" => "153 (6715/20 MHz)",
    "6g-155-6725-40" => "155 (6725/40 MHz)",
    "6g-157-6735-20" => "157 (6735/20 MHz)",
    "6g-159-6745-320" => "159 (6745/320 MHz)",
    "6g-161-6755-20" => "161 (6755/20 MHz)",
    "6g-163-6765-40" => "163 (6765/40 MHz)",
    "6g-165-6775-20" => "165 (6775/20 MHz)",
    "6g-167-6785-80" => "167 (6785/80 MHz)",
    "6g-169-6795-20" => "169 (6795/20 MHz)",
    "6g-171-6805-40" => "171 (6805/40 MHz)",
    "6g-173-6815-20" => "173 (6815/20 MHz)",
    "6g-175-6825-160" => "175 (6825/160 MHz)",
    "6g-177-6835-20" => "177 (6835/20 MHz)",
    "6g-179-6845-40" => "179 (6845/40 MHz)",
    "6g-181-6855-20" => "181 (6855/20 MHz)",
    "6g-183-6865-80" => "183 (6865/80 MHz)",
    "6g-185-6875-20" => "185 (6875/20 MHz)",
    "6g-187-6885-40" => "187 (6885/40 MHz)",
    "6g-189-6895-20" => "189 (6895/20 MHz)",
    "6g-193-6915-20" => "193 (6915/20 MHz)",
    "6g-195-6925-40" => "195 (6925/40 MHz)",
    "6g-197-6935-20" => "197 (6935/20 MHz)",
    "6g-199-6945-80" => "199 (6945/80 MHz)",
    "6g-201-6955-20" => "201 (6955/20 MHz)",
    "6g-203-6965-40" => "203 (6965/40 MHz)",
    "6g-205-6975-20" => "205 (6975/20 MHz)",
    "6g-207-6985-160" => "207 (6985/160 MHz)",
    "6g-209-6995-20" => "209 (6995/20 MHz)",
    "6g-211-7005-40" => "211 (7005/40 MHz)",
    "6g-213-7015-20" => "213 (7015/20 MHz)",
    "6g-215-7025-80" => "215 (7025/80 MHz)",
    "6g-217-7035-20" => "217 (7035/20 MHz)",
    "6g-219-7045-40" => "219 (7045/40 MHz)",
    "6g-221-7055-20" => "221 (7055/20 MHz)",
    "6g-225-7075-20" => "225 (7075/20 MHz)",
    "6g-227-7085-40" => "227 (7085/40 MHz)",
    "6g-229-7095-20" => "229 (7095/20 MHz)",
    "6g-233-7115-20" => "233 (7115/20 MHz)",
    "60g-1-58320-2160" => "1 (58.32/2.16 GHz)",
    "60g-2-60480-2160" => "2 (60.48/2.16 GHz)",
    "60g-3-62640-2160" => "3 (62.64/2.16 GHz)",
    "60g-4-64800-2160" => "4 (64.80/2.16 GHz)",
    "60g-5-66960-2160" => "5 (66.96/2.16 GHz)",
    "60g-6-69120-2160" => "6 (69.12/2.16 GHz)",
    "60g-9-59400-4320" => "9 (59.40/4.32 GHz)",
    "60g-10-61560-4320" => "10 (61.56/4.32 GHz)",
    "60g-11-63720-4320" => "11 (63.72/4.32 GHz)",
    "60g-12-65880-4320" => "12 (65.88/4.32 GHz)",
    "60g-13-68040-4320" => "13 (68.04/4.32 GHz)",
    "60g-17-60480-6480" => "17 (60.48/6.48 GHz)",
    "60g-18-62640-6480" => "18 (62.64/6.48 GHz)",
    "60g-19-64800-6480" => "19 (64.80/6.48 GHz)",
    "60g-20-66960-6480" => "20 (66.96/6.48 GHz)",
    "60g-25-61560-6480" => "25 (61.56/8.64 GHz)",
    "60g-26-63720-6480" => "26 (63.72/8.64 GHz)",
    "60g-27-65880-6480" => "27 (65.88/8.64 GHz)",
);

// NetBox PortTypeChoices.
choices!(PORT_TYPE,
    "8p8c" => "8P8C",
    "8p6c" => "8P6C",
    "8p4c" => "8P4C",
    "8p2c" => "8P2C",
    "6p6c" => "6P6C",
    "6p4c" => "6P4C",
    "6p2c" => "6P2C",
    "4p4c" => "4P4C",
    "4p2c" => "4P2C",
    "gg45" => "GG45",
    "tera-4p" => "TERA 4P",
    "tera-2p" => "TERA 2P",
    "tera-1p" => "TERA 1P",
    "110-punch" => "110 Punch",
    "bnc" => "BNC",
    "f" => "F Connector",
    "n" => "N Connector",
    "mrj21" => "MRJ21",
    "fc" => "FC",
    "fc-pc" => "FC/PC",
    "fc-upc" => "FC/UPC",
    "fc-apc" => "FC/APC",
    "lc" => "LC",
    "lc-pc" => "LC/PC",
    "lc-upc" => "LC/UPC",
    "lc-apc" => "LC/APC",
    "lsh" => "LSH",
    "lsh-pc" => "LSH/PC",
    "lsh-upc" => "LSH/UPC",
    "lsh-apc" => "LSH/APC",
    "lx5" => "LX.5",
    "lx5-pc" => "LX.5/PC",
    "lx5-upc" => "LX.5/UPC",
    "lx5-apc" => "LX.5/APC",
    "mpo" => "MPO",
    "mtrj" => "MTRJ",
    "sc" => "SC",
    "sc-pc" => "SC/PC",
    "sc-upc" => "SC/UPC",
    "sc-apc" => "SC/APC",
    "st" => "ST",
    "cs" => "CS",
    "sn" => "SN",
    "sma-905" => "SMA 905",
    "sma-906" => "SMA 906",
    "urm-p2" => "URM-P2",
    "urm-p4" => "URM-P4",
    "urm-p8" => "URM-P8",
    "splice" => "Splice",
    "usb-a" => "USB Type A",
    "usb-b" => "USB Type B",
    "usb-c" => "USB Type C",
    "usb-mini-a" => "USB Mini A",
    "usb-mini-b" => "USB Mini B",
    "usb-micro-a" => "USB Micro A",
    "usb-micro-b" => "USB Micro B",
    "usb-micro-ab" => "USB Micro AB",
    "other" => "Other",
);

// NetBox InventoryItemStatusChoices.
choices!(INVENTORY_ITEM_STATUS,
    "offline" => "Offline" / "gray",
    "active" => "Active" / "green",
    "planned" => "Planned" / "cyan",
    "staged" => "Staged" / "blue",
    "failed" => "Failed" / "red",
    "decommissioning" => "Decommissioning" / "yellow",
);
pub fn types() -> Vec<ObjectType> {
    vec![
        console_port_template(),
        console_server_port_template(),
        power_port_template(),
        power_outlet_template(),
        interface_template(),
        front_port_template(),
        rear_port_template(),
        module_bay_template(),
        device_bay_template(),
        inventory_item_template(),
        console_port(),
        console_server_port(),
        power_port(),
        power_outlet(),
        interface(),
        front_port(),
        rear_port(),
        module_bay(),
        device_bay(),
        inventory_item(),
    ]
}

/// "name (label)", or the name alone when there is no label.
fn component_display(r: &dyn RowText) -> String {
    with_note(r.text("name"), &r.text("label"))
}

// ---------------------------------------------------------------------------------------
// Templates: change-logged only (no tags, custom fields or UI page of their own).

const TEMPLATE_NAME_HELP: &str =
    "{module} is accepted as a substitution for the module bay position when attached to a module type.";

/// A template of a device type (`modular` also of a module type): the shared fields,
/// with `fields` between the label and the description, as NetBox's serializers order them.
fn template(
    model: &'static str,
    endpoint: &'static str,
    verbose: (&'static str, &'static str),
    modular: bool,
    fields: Vec<Field>,
) -> ObjectType {
    let mut all = Vec::new();
    if modular {
        all.push(fk("device_type", "dcim.devicetype", OnDelete::Cascade));
        all.push(fk("module_type", "dcim.moduletype", OnDelete::Cascade));
    } else {
        all.push(fk("device_type", "dcim.devicetype", OnDelete::Cascade).required());
    }
    all.push(name(64).help(TEMPLATE_NAME_HELP));
    all.push(string("label", 64).help("Physical label"));
    all.extend(fields);
    if !all.iter().any(|f| f.name == "description") {
        all.push(description());
    }
    let t = ObjectType::new("dcim", model, endpoint)
        .verbose(verbose.0, verbose.1)
        .fields(all)
        .brief(&["name", "description"])
        .display(Display::Fn(component_display))
        .change_logged()
        .related_in_change_log(&["device_type", "module_type"])
        // Names sort naturally (NetBox's natural_sort collation).
        .natural("name")
        .key(Key::Name)
        .search(&["name", "description"]);
    if modular {
        t.ordering(&["device_type_id", "module_type_id", "_name"])
            .unique_set(&["device_type", "name"])
            .unique_set(&["module_type", "name"])
    } else {
        t.ordering(&["device_type_id", "_name"])
            .unique_set(&["device_type", "name"])
    }
}

fn console_port_template() -> ObjectType {
    template(
        "consoleporttemplate",
        "console-port-templates",
        ("console port template", "console port templates"),
        true,
        vec![choice("type", &CONSOLE_PORT_TYPE).blank_null()],
    )
}

fn console_server_port_template() -> ObjectType {
    template(
        "consoleserverporttemplate",
        "console-server-port-templates",
        (
            "console server port template",
            "console server port templates",
        ),
        true,
        vec![choice("type", &CONSOLE_PORT_TYPE).blank_null()],
    )
}

fn power_port_template() -> ObjectType {
    template(
        "powerporttemplate",
        "power-port-templates",
        ("power port template", "power port templates"),
        true,
        vec![
            choice("type", &POWER_PORT_TYPE).blank_null(),
            int("maximum_draw", Some(1), Some(2_147_483_647)).help("Maximum power draw (watts)"),
            int("allocated_draw", Some(1), Some(2_147_483_647))
                .help("Allocated power draw (watts)"),
        ],
    )
}

fn power_outlet_template() -> ObjectType {
    template(
        "poweroutlettemplate",
        "power-outlet-templates",
        ("power outlet template", "power outlet templates"),
        true,
        vec![
            choice("type", &POWER_OUTLET_TYPE).blank_null(),
            fk("power_port", "dcim.powerporttemplate", OnDelete::SetNull),
            choice("feed_leg", &POWER_OUTLET_FEED_LEG).blank_null(),
        ],
    )
}

fn interface_template() -> ObjectType {
    template(
        "interfacetemplate",
        "interface-templates",
        ("interface template", "interface templates"),
        true,
        vec![
            choice("type", &INTERFACE_TYPE).required(),
            boolean("enabled").default_bool(true),
            boolean("mgmt_only").label("Management only"),
            description(),
            fk("bridge", "dcim.interfacetemplate", OnDelete::SetNull),
            choice("poe_mode", &INTERFACE_POE_MODE).blank_null(),
            choice("poe_type", &INTERFACE_POE_TYPE).blank_null(),
            choice("rf_role", &WIRELESS_ROLE).blank_null(),
        ],
    )
    .natural_interface()
}

fn front_port_template() -> ObjectType {
    template(
        "frontporttemplate",
        "front-port-templates",
        ("front port template", "front port templates"),
        true,
        vec![
            choice("type", &PORT_TYPE).required(),
            color("color"),
            fk("rear_port", "dcim.rearporttemplate", OnDelete::Cascade).required(),
            int("rear_port_position", Some(1), Some(1024)).default_int(1),
        ],
    )
    .unique_set(&["rear_port", "rear_port_position"])
}

fn rear_port_template() -> ObjectType {
    template(
        "rearporttemplate",
        "rear-port-templates",
        ("rear port template", "rear port templates"),
        true,
        vec![
            choice("type", &PORT_TYPE).required(),
            color("color"),
            int("positions", Some(1), Some(1024)).default_int(1),
        ],
    )
}

fn module_bay_template() -> ObjectType {
    template(
        "modulebaytemplate",
        "module-bay-templates",
        ("module bay template", "module bay templates"),
        true,
        vec![string("position", 30)
            .help("Identifier to reference when renaming installed components")],
    )
}

fn device_bay_template() -> ObjectType {
    template(
        "devicebaytemplate",
        "device-bay-templates",
        ("device bay template", "device bay templates"),
        false,
        vec![],
    )
}

/// The component templates an inventory item template may stand for.
const TEMPLATE_COMPONENTS: &[&str] = &[
    "dcim.consoleporttemplate",
    "dcim.consoleserverporttemplate",
    "dcim.frontporttemplate",
    "dcim.interfacetemplate",
    "dcim.poweroutlettemplate",
    "dcim.powerporttemplate",
    "dcim.rearporttemplate",
];

/// The components an inventory item may stand for.
const ITEM_COMPONENTS: &[&str] = &[
    "dcim.consoleport",
    "dcim.consoleserverport",
    "dcim.frontport",
    "dcim.interface",
    "dcim.poweroutlet",
    "dcim.powerport",
    "dcim.rearport",
];

/// A tree per device type. `parent` is a bare id in NetBox's representation.
fn inventory_item_template() -> ObjectType {
    let mut t = template(
        "inventoryitemtemplate",
        "inventory-item-templates",
        ("inventory item template", "inventory item templates"),
        false,
        vec![
            role_fk(),
            fk("manufacturer", "dcim.manufacturer", OnDelete::Protect),
            string("part_id", 50)
                .label("Part ID")
                .help("Manufacturer-assigned part identifier"),
            description(),
            generic("component", "component_type", "component_id").to_models(TEMPLATE_COMPONENTS),
        ],
    );
    // The parent comes right after the device type.
    t.fields.insert(
        1,
        fk("parent", "dcim.inventoryitemtemplate", OnDelete::Cascade).plain(),
    );
    // Names are unique among siblings only (top-level names may repeat, NULLs being
    // distinct), not per device type as other templates' are.
    t.unique_together
        .retain(|u| u.fields != ["device_type", "name"]);
    t.brief(&["name", "description", "_depth"])
        .tree()
        .unique_set(&["device_type", "parent", "name"])
        .search(&["name", "part_id", "description"])
}

fn role_fk() -> Field {
    fk("role", "dcim.inventoryitemrole", OnDelete::Protect)
}

// ---------------------------------------------------------------------------------------
// Components: NetBox models of a device (and, for modular ones, optionally a module).

/// What a component's filters reach through its device (NetBox's DeviceComponentFilterSet;
/// `site`, `location` and `rack` go through NetBox's copies of the device's, which are
/// always equal to the device's own).
fn device_filters(t: ObjectType) -> ObjectType {
    t.path_filter("region_id", &["device", "site", "region"], Key::Id)
        .path_filter("region", &["device", "site", "region"], Key::Slug)
        .path_filter("site_group_id", &["device", "site", "group"], Key::Id)
        .path_filter("site_group", &["device", "site", "group"], Key::Slug)
        .path_filter("site_id", &["device", "site"], Key::Id)
        .path_filter("site", &["device", "site"], Key::Slug)
        .path_filter("location_id", &["device", "location"], Key::Id)
        .path_filter("location", &["device", "location"], Key::Slug)
        .path_filter("rack_id", &["device", "rack"], Key::Id)
        .path_filter("rack", &["device", "rack"], Key::Name)
        .path_filter("device_type_id", &["device", "device_type"], Key::Id)
        .path_filter(
            "device_type",
            &["device", "device_type"],
            Key::Field("model"),
        )
        .path_filter("device_role_id", &["device", "role"], Key::Id)
        .path_filter("device_role", &["device", "role"], Key::Slug)
        .path_filter(
            "virtual_chassis_id",
            &["device", "virtual_chassis"],
            Key::Id,
        )
        .path_filter("virtual_chassis", &["device", "virtual_chassis"], Key::Name)
        .path_filter("tenant_id", &["device", "tenant"], Key::Id)
        .path_filter("tenant", &["device", "tenant"], Key::Slug)
        .field_path("device_status", &["device"], "status")
}

/// A component: device (and module when `modular`), name and label, then `fields`, then
/// the description unless `fields` place it themselves.
fn component(
    model: &'static str,
    endpoint: &'static str,
    ui: &'static str,
    verbose: (&'static str, &'static str),
    modular: bool,
    fields: Vec<Field>,
) -> ObjectType {
    let mut all = vec![fk("device", "dcim.device", OnDelete::Cascade).required()];
    if modular {
        all.push(fk("module", "dcim.module", OnDelete::Cascade));
    }
    all.push(name(64));
    all.push(string("label", 64).help("Physical label"));
    all.extend(fields);
    if !all.iter().any(|f| f.name == "description") {
        all.push(description());
    }
    let t = ObjectType::new("dcim", model, endpoint)
        .verbose(verbose.0, verbose.1)
        .ui(ui)
        .fields(all)
        .display(Display::Fn(component_display))
        .netbox_model()
        .related_in_change_log(&["device"])
        // NetBox orders by device, then name (natural_sort collation).
        .natural("name")
        .ordering(&["device_id", "_name"])
        .key(Key::Name)
        .unique_set(&["device", "name"])
        .search(&["name", "label", "description"]);
    let t = if t.field("cable").is_some() {
        t.extra_filter(ExtraFilter::AnySet {
            name: "cabled",
            fields: &["cable"],
        })
        .extra_filter(ExtraFilter::AnySet {
            name: "occupied",
            fields: &["cable", "mark_connected"],
        })
    } else {
        t
    };
    device_filters(t)
}

/// A cable's end: stored, set by cables; the rest of the cable state follows a path and is
/// shown as NetBox shows an unconnected port. `path_endpoint` adds the connected-endpoint
/// fields of ports at the end of a cable path.
fn cabled(path_endpoint: bool) -> Vec<Field> {
    let mut v = vec![
        boolean("mark_connected").help("Treat as if a cable is connected"),
        fk("cable", "dcim.cable", OnDelete::SetNull).read_only(),
        text("cable_end").null().read_only(),
        json("link_peers").computed().default(Default::EmptyList),
        json("link_peers_type").computed(),
    ];
    if path_endpoint {
        v.extend(connected_endpoints());
    }
    v
}

fn connected_endpoints() -> Vec<Field> {
    vec![
        json("connected_endpoints").computed(),
        json("connected_endpoints_type").computed(),
        json("connected_endpoints_reachable").computed(),
    ]
}

/// `_occupied`: a cable or `mark_connected` (or a wireless link, once those exist).
fn occupied() -> Field {
    json("_occupied").any_of(&["mark_connected", "cable"])
}

const CABLED_BRIEF: &[&str] = &["device", "name", "description", "cable", "_occupied"];

/// A modular component with a cable end (and, for `path_endpoint`, a cable path).
fn cabled_component(
    model: &'static str,
    endpoint: &'static str,
    ui: &'static str,
    verbose: (&'static str, &'static str),
    path_endpoint: bool,
    mut fields: Vec<Field>,
) -> ObjectType {
    fields.extend(cabled(path_endpoint));
    fields.push(occupied());
    component(model, endpoint, ui, verbose, true, fields).brief(CABLED_BRIEF)
}

fn console_port() -> ObjectType {
    let f = vec![
        choice("type", &CONSOLE_PORT_TYPE).blank_null(),
        choice("speed", &CONSOLE_PORT_SPEED).null(),
        description(),
    ];
    cabled_component(
        "consoleport",
        "console-ports",
        "dcim/console-ports",
        ("console port", "console ports"),
        true,
        f,
    )
}

fn console_server_port() -> ObjectType {
    let f = vec![
        choice("type", &CONSOLE_PORT_TYPE).blank_null(),
        choice("speed", &CONSOLE_PORT_SPEED).null(),
        description(),
    ];
    cabled_component(
        "consoleserverport",
        "console-server-ports",
        "dcim/console-server-ports",
        ("console server port", "console server ports"),
        true,
        f,
    )
}

fn power_port() -> ObjectType {
    let f = vec![
        choice("type", &POWER_PORT_TYPE).blank_null(),
        int("maximum_draw", Some(1), Some(2_147_483_647)).help("Maximum power draw (watts)"),
        int("allocated_draw", Some(1), Some(2_147_483_647)).help("Allocated power draw (watts)"),
        description(),
    ];
    cabled_component(
        "powerport",
        "power-ports",
        "dcim/power-ports",
        ("power port", "power ports"),
        true,
        f,
    )
}

fn power_outlet() -> ObjectType {
    let f = vec![
        choice("type", &POWER_OUTLET_TYPE).blank_null(),
        choice("status", &POWER_OUTLET_STATUS).default_str("enabled"),
        color("color"),
        fk("power_port", "dcim.powerport", OnDelete::SetNull),
        choice("feed_leg", &POWER_OUTLET_FEED_LEG).blank_null(),
        description(),
    ];
    cabled_component(
        "poweroutlet",
        "power-outlets",
        "dcim/power-outlets",
        ("power outlet", "power outlets"),
        true,
        f,
    )
}

/// Interfaces. `parent` is RESTRICT in NetBox (a parent with children cannot be deleted on
/// its own, but goes with its device); SET_NULL here, so that deleting a device never
/// trips over its own subinterfaces.
fn interface() -> ObjectType {
    let mut f = vec![
        choice("type", &INTERFACE_TYPE).required(),
        boolean("enabled").default_bool(true),
        fk("parent", "dcim.interface", OnDelete::SetNull),
        fk("bridge", "dcim.interface", OnDelete::SetNull),
        json("bridge_interfaces").reverse_of("dcim.interface", "bridge"),
        fk("lag", "dcim.interface", OnDelete::SetNull),
        int("mtu", Some(1), Some(65536)).label("MTU"),
        // The primary MAC address's value (NetBox < 4.2 compatibility); not rendered yet.
        Field::new("mac_address", FieldKind::Mac).via("primary_mac_address", "mac_address"),
        fk("primary_mac_address", "dcim.macaddress", OnDelete::SetNull)
            .unique()
            .verbose("primary MAC address"),
        // MAC address objects assigned to this interface; not rendered yet.
        json("mac_addresses").reverse_of("dcim.macaddress", "assigned_object"),
        int("speed", Some(0), Some(2_147_483_647)).label("Speed (Kbps)"),
        choice("duplex", &INTERFACE_DUPLEX).blank_null(),
        // NetBox's WWN (EUI-64) field; not checked for format here.
        text("wwn").blank_null(),
        boolean("mgmt_only")
            .label("Management only")
            .help("This interface is used only for out-of-band management"),
        description(),
        choice("mode", &INTERFACE_MODE).blank_null(),
        choice("rf_role", &WIRELESS_ROLE).blank_null(),
        choice("rf_channel", &WIRELESS_CHANNEL).blank_null(),
        choice("poe_mode", &INTERFACE_POE_MODE).blank_null(),
        choice("poe_type", &INTERFACE_POE_TYPE).blank_null(),
        decimal("rf_channel_frequency", 7, 2)
            .label("Channel frequency (MHz)")
            .help("Populated by selected channel (if set)"),
        decimal("rf_channel_width", 7, 3)
            .label("Channel width (MHz)")
            .help("Populated by selected channel (if set)"),
        int("tx_power", Some(-40), Some(127)).label("Transmit power (dBm)"),
        fk("untagged_vlan", "ipam.vlan", OnDelete::SetNull),
        m2m("tagged_vlans", "ipam.vlan"),
        fk("qinq_svlan", "ipam.vlan", OnDelete::SetNull),
        fk(
            "vlan_translation_policy",
            "ipam.vlantranslationpolicy",
            OnDelete::Protect,
        ),
    ];
    let mut cable = cabled(false);
    // NetBox puts the wireless link between the cable end and the link peers.
    cable.insert(
        3,
        fk("wireless_link", "wireless.wirelesslink", OnDelete::SetNull).read_only(),
    );
    f.extend(cable);
    f.extend([
        m2m("wireless_lans", "wireless.wirelesslan"),
        fk("vrf", "ipam.vrf", OnDelete::SetNull),
        // The first L2VPN termination of this interface; not rendered yet.
        fk(
            "l2vpn_termination",
            "vpn.l2vpntermination",
            OnDelete::SetNull,
        )
        .computed(),
    ]);
    f.extend(connected_endpoints());
    f.push(occupied());
    let mut t = component(
        "interface",
        "interfaces",
        "dcim/interfaces",
        ("interface", "interfaces"),
        true,
        f,
    );
    // Virtual device contexts come right after the device.
    t.fields.insert(1, m2m("vdcs", "dcim.virtualdevicecontext"));
    let mut t = t.brief(CABLED_BRIEF).natural_interface();
    for (name, by_id, if_master) in [
        ("virtual_chassis_member", false, false),
        ("virtual_chassis_member_id", true, false),
        ("virtual_chassis_member_or_master", false, true),
        ("virtual_chassis_member_or_master_id", true, true),
    ] {
        t = t.extra_filter(ExtraFilter::VirtualChassisInterfaces {
            name,
            by_id,
            if_master,
        });
    }
    // Any of its MAC addresses, not only the primary one.
    t = t.extra_filter(ExtraFilter::Reverse {
        name: "mac_address",
        model: "dcim.macaddress",
        field: "assigned_object",
        param: "mac_address",
    });
    // Its untagged VLAN or one of its tagged ones, by id or by VID (NetBox's method
    // filters: values are compared, not looked up).
    for (name, field) in [("vlan_id", "id"), ("vlan", "vid")] {
        t = t.field_path(name, &["untagged_vlan"], field).field_path(
            name,
            &["tagged_vlans"],
            field,
        );
    }
    // The interface model's properties, counted through the generic relations to it.
    t.count(
        "count_ipaddresses",
        "ipam.ipaddress",
        "assigned_object",
        false,
    )
    .annotated()
    .count(
        "count_fhrp_groups",
        "ipam.fhrpgroupassignment",
        "interface",
        false,
    )
    .annotated()
}

fn front_port() -> ObjectType {
    let f = vec![
        choice("type", &PORT_TYPE).required(),
        color("color"),
        fk("rear_port", "dcim.rearport", OnDelete::Cascade).required(),
        int("rear_port_position", Some(1), Some(1024))
            .default_int(1)
            .help("Mapped position on corresponding rear port"),
        description(),
    ];
    cabled_component(
        "frontport",
        "front-ports",
        "dcim/front-ports",
        ("front port", "front ports"),
        false,
        f,
    )
    .unique_set(&["rear_port", "rear_port_position"])
}

fn rear_port() -> ObjectType {
    let f = vec![
        choice("type", &PORT_TYPE).required(),
        color("color"),
        int("positions", Some(1), Some(1024))
            .default_int(1)
            .help("Number of front ports which may be mapped"),
        description(),
    ];
    cabled_component(
        "rearport",
        "rear-ports",
        "dcim/rear-ports",
        ("rear port", "rear ports"),
        false,
        f,
    )
}

/// Module bays. NetBox keeps them in an MPTT tree whose `parent` (the bay holding this
/// bay's module) is set on save and never shown: here a hidden FK, for the `parent_id`
/// filter, to be kept by the module rules. Names are unique per device and module (NULL
/// modules distinct, as in NetBox's constraint).
fn module_bay() -> ObjectType {
    // The reverse of a module's `module_bay`: writable to DRF, but NetBox saves nothing
    // from it.
    let mut installed_module = fk("installed_module", "dcim.module", OnDelete::SetNull)
        .reverse_of("dcim.module", "module_bay");
    installed_module.default = Default::Null;
    installed_module.read_only = false;
    let mut t = component(
        "modulebay",
        "module-bays",
        "dcim/module-bays",
        ("module bay", "module bays"),
        true,
        vec![
            string("position", 30)
                .help("Identifier to reference when renaming installed components"),
            fk("parent", "dcim.modulebay", OnDelete::Cascade)
                .read_only()
                .write_only(),
        ],
    );
    t.fields.insert(3, installed_module);
    t.unique_together.clear();
    t.brief(&["installed_module", "name", "description"])
        .unique_set(&["device", "module", "name"])
        .extra_filter(ExtraFilter::Reverse {
            name: "installed_module_id",
            model: "dcim.module",
            field: "module_bay",
            param: "id",
        })
}

fn device_bay() -> ObjectType {
    component(
        "devicebay",
        "device-bays",
        "dcim/device-bays",
        ("device bay", "device bays"),
        false,
        vec![
            description(),
            fk("installed_device", "dcim.device", OnDelete::SetNull).unique(),
        ],
    )
    .brief(&["device", "name", "description"])
}

/// Inventory items: a tree per device; `parent` is a bare id in NetBox's representation.
/// Names are unique per device and parent (top-level names may repeat, as in NetBox).
fn inventory_item() -> ObjectType {
    let mut t = component(
        "inventoryitem",
        "inventory-items",
        "dcim/inventory-items",
        ("inventory item", "inventory items"),
        false,
        vec![
            choice("status", &INVENTORY_ITEM_STATUS).default_str("active"),
            role_fk(),
            fk("manufacturer", "dcim.manufacturer", OnDelete::Protect),
            string("part_id", 50)
                .label("Part ID")
                .help("Manufacturer-assigned part identifier"),
            string("serial", 50).label("Serial number"),
            string("asset_tag", 50)
                .blank_null()
                .unique()
                .help("A unique tag used to identify this item"),
            boolean("discovered").help("This item was automatically discovered"),
            description(),
            generic("component", "component_type", "component_id").to_models(ITEM_COMPONENTS),
        ],
    );
    t.fields.insert(
        1,
        fk("parent", "dcim.inventoryitem", OnDelete::Cascade).plain(),
    );
    t.unique_together.clear();
    t.brief(&["device", "name", "description", "_depth"])
        .tree()
        .unique_set(&["device", "parent", "name"])
        .search(&["name", "part_id", "serial", "asset_tag", "description"])
}
