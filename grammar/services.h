/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Service and protocol names: a pinned table of the historic
 * /etc/services names scripts use (www, pop-3, ...) plus the modern ones,
 * so results do not depend on the machine's /etc/services.
 */
#ifndef MR_SERVICES_H
#define MR_SERVICES_H

#include <stdint.h>

/* Port number of a service name for proto (6 tcp, 17 udp; 0 either), -1. */
int services_port(const char *name, uint8_t proto);
/* Primary name of a port, NULL if none. legacy: 2.2-era names (www). */
const char *services_name(uint16_t port, uint8_t proto, int legacy);

/* Protocol number of a name ("tcp", "TCP", "6", "all" -> 0), -1. */
int proto_number(const char *name);
/* Canonical name of a protocol number as iptables-save prints it
 * ("tcp"); NULL if it has none (print the number). */
const char *proto_name(uint8_t proto);

#endif
