/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the engine needs of an interface before it takes it over: it
 * exists, is up, is Ethernet; the kernel has no IPv4 address on it (else
 * the kernel answers ARP, sends resets for the engine's ports and may
 * forward packets a second time); and the offloads that would hand the
 * engine half-made frames are off.  Transmit checksumming is turned on:
 * frames the engine passes on with a partial checksum (vnet headers, see
 * loop.c) then cross veth unfinished instead of being summed at send.
 */
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include "netif.h"

static int ifreq_ioctl(int fd, const char *name, unsigned long req,
		       struct ifreq *ifr)
{
	memset(ifr, 0, sizeof(*ifr));
	snprintf(ifr->ifr_name, IFNAMSIZ, "%s", name);
	return ioctl(fd, req, ifr);
}

static int link_info(int fd, const char *name, struct netif_info *ni,
		     struct erec_list *errs)
{
	struct ifreq ifr;

	ni->ifindex = (int)if_nametoindex(name);
	if (!ni->ifindex) {
		erec_add(errs, EREC_ERROR, MR_EXIT_OTHER, NULL,
			 "%s: no such interface", name);
		return -1;
	}
	if (ifreq_ioctl(fd, name, SIOCGIFFLAGS, &ifr) < 0 ||
	    !(ifr.ifr_flags & IFF_UP)) {
		erec_add(errs, EREC_ERROR, MR_EXIT_OTHER, NULL,
			 "%s: interface is down (ip link set %s up)", name, name);
		return -1;
	}
	if (ifreq_ioctl(fd, name, SIOCGIFHWADDR, &ifr) < 0 ||
	    ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER) {
		erec_add(errs, EREC_ERROR, MR_EXIT_OTHER, NULL,
			 "%s: not an Ethernet interface", name);
		return -1;
	}
	memcpy(ni->mac, ifr.ifr_hwaddr.sa_data, 6);
	ni->mtu = 1500;
	if (ifreq_ioctl(fd, name, SIOCGIFMTU, &ifr) == 0 && ifr.ifr_mtu > 0 &&
	    ifr.ifr_mtu < 65536)
		ni->mtu = (uint16_t)ifr.ifr_mtu;
	return 0;
}

/* Every IPv4 address the kernel has on the interface is an error. */
static int no_kernel_addrs(const char *name, struct erec_list *errs)
{
	struct ifaddrs *ifa, *i;
	char a[INET_ADDRSTRLEN];
	int rc = 0;

	if (getifaddrs(&ifa) < 0)
		return 0;	/* cannot tell: the engine still works */
	for (i = ifa; i; i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET ||
		    strcmp(i->ifa_name, name))
			continue;
		inet_ntop(AF_INET,
			  &((struct sockaddr_in *)(void *)i->ifa_addr)->sin_addr,
			  a, sizeof(a));
		erec_add(errs, EREC_ERROR, MR_EXIT_OTHER, NULL,
			 "%s: the kernel has address %s on it; the engine owns "
			 "this interface (ip -4 addr flush dev %s)", name, a, name);
		rc = -1;
	}
	freeifaddrs(ifa);
	return rc;
}

static const struct {
	uint32_t get, set;
	const char *what;
} offloads[] = {
	{ ETHTOOL_GGRO, ETHTOOL_SGRO, "generic-receive-offload" },
	{ ETHTOOL_GTSO, ETHTOOL_STSO, "tcp-segmentation-offload" },
	{ ETHTOOL_GGSO, ETHTOOL_SGSO, "generic-segmentation-offload" },
};

static int ethtool_val(int fd, const char *name, uint32_t cmd, uint32_t *val)
{
	struct ethtool_value ev = { .cmd = cmd, .data = *val };
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	ifr.ifr_data = (char *)&ev;
	if (ioctl(fd, SIOCETHTOOL, &ifr) < 0)
		return -1;
	*val = ev.data;
	return 0;
}

/*
 * GRO would merge frames into ones larger than the MTU, GSO/TSO would
 * leave work for hardware the engine's frames never reach.  An offload
 * the driver does not report is not on.  Checksum offload is wanted
 * (best effort: without it the kernel sums partial frames at send).
 */
static int offloads_off(int fd, const char *name, struct erec_list *errs)
{
	uint32_t v;
	size_t i;

	for (i = 0; i < sizeof(offloads) / sizeof(offloads[0]); i++) {
		v = 0;
		if (ethtool_val(fd, name, offloads[i].get, &v) < 0 || !v)
			continue;
		v = 0;
		if (ethtool_val(fd, name, offloads[i].set, &v) == 0)
			continue;
		erec_add(errs, EREC_ERROR, MR_EXIT_OTHER, NULL,
			 "%s: cannot turn off %s: %s (ethtool -K %s ...)",
			 name, offloads[i].what, strerror(errno), name);
		return -1;
	}
	v = 0;
	if (ethtool_val(fd, name, ETHTOOL_GTXCSUM, &v) == 0 && !v) {
		v = 1;
		ethtool_val(fd, name, ETHTOOL_STXCSUM, &v);
	}
	return 0;
}

bool netif_gso_on(const char *name)
{
	static const uint32_t on[] = { ETHTOOL_SGRO, ETHTOOL_STSO,
				       ETHTOOL_SGSO };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	uint32_t v;
	size_t i;

	bool tso = true;

	if (fd < 0)
		return false;
	for (i = 0; i < sizeof(on) / sizeof(on[0]); i++) {
		v = 1;
		ethtool_val(fd, name, on[i], &v);	/* best effort */
	}
	/* TSO needs transmit checksumming: what the device does now */
	v = 0;
	if (ethtool_val(fd, name, ETHTOOL_GTSO, &v) < 0 || !v)
		tso = false;
	v = 0;
	if (ethtool_val(fd, name, ETHTOOL_GTXCSUM, &v) < 0 || !v)
		tso = false;
	close(fd);
	return tso;
}

/* The kernel forwarding on the interface too would send duplicates. */
static void forwarding_warn(const char *name, struct erec_list *errs)
{
	char path[96], c = '0';
	FILE *f;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv4/conf/%s/forwarding",
		 name);
	f = fopen(path, "r");
	if (!f)
		return;
	if (fread(&c, 1, 1, f) == 1 && c == '1')
		erec_add(errs, EREC_WARNING, 0, NULL,
			 "%s: the kernel forwards IPv4 on this interface too "
			 "(sysctl net.ipv4.conf.%s.forwarding=0)", name, name);
	fclose(f);
}

int netif_take(const char *name, struct netif_info *ni, struct erec_list *errs)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int rc;

	if (fd < 0) {
		erec_add(errs, EREC_ERROR, MR_EXIT_OTHER, NULL,
			 "%s: socket: %s", name, strerror(errno));
		return -1;
	}
	rc = link_info(fd, name, ni, errs);
	if (!rc)
		rc = no_kernel_addrs(name, errs);
	if (!rc)
		rc = offloads_off(fd, name, errs);
	if (!rc)
		forwarding_warn(name, errs);
	close(fd);
	return rc;
}
