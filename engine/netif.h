/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Interfaces the live engine takes over (see netif.c), and its rings. */
#ifndef MR_ENG_NETIF_H
#define MR_ENG_NETIF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/virtio_net.h>
#include "erec.h"

struct netif_info {
	int ifindex;
	uint8_t mac[6];
	uint16_t mtu;
};

/* Check the interface is fit for the engine and turn its offloads off. */
int netif_take(const char *name, struct netif_info *ni, struct erec_list *errs);
/*
 * Once its socket has vnet headers: GRO, TSO and GSO back on (best
 * effort), so that TCP arrives merged and leaves as GSO (loop.c).  True
 * if the device now takes TCP GSO frames with partial checksums.
 */
bool netif_gso_on(const char *name);

#define PIO_TX_BATCH 64
#define PIO_FRAME_MAX 2048

/*
 * One AF_PACKET socket: a TPACKET_V3 RX ring, a batch of frames to send.
 * With vnet set (PACKET_VNET_HDR) every frame in and out carries a
 * struct virtio_net_hdr: the kernel says which frames still need their
 * L4 checksum (csum_start/csum_offset), and the engine can send them on
 * the same way, with the checksum left to the receiver's side.
 */
struct pio {
	int fd;
	bool vnet;
	uint8_t *ring;
	size_t ring_len;
	unsigned block_size, nblocks, cur;
	unsigned ntx;
	uint64_t tx_errors;
	uint64_t tx_partial;		/* frames sent with NEEDS_CSUM */
	uint64_t tx_gso;		/* of which GSO frames */
	uint32_t txlen[PIO_TX_BATCH];
	const uint8_t *txref[PIO_TX_BATCH];	/* NULL: in txbuf */
	struct virtio_net_hdr txvh[PIO_TX_BATCH];
	uint8_t txbuf[PIO_TX_BATCH][PIO_FRAME_MAX];
};

/*
 * A received frame: TP_STATUS_* bits in status; vh its virtio_net_hdr
 * (NULL without vnet).
 */
typedef void (*pio_rx_fn)(void *ctx, const uint8_t *frame, uint32_t len,
			  uint32_t snaplen, uint32_t status,
			  const struct virtio_net_hdr *vh);

int pio_open(struct pio *io, const char *name, int ifindex,
	     struct erec_list *errs);
void pio_close(struct pio *io);
/*
 * Hand every frame of the next block to fn if one is ready (false if not).
 * The frames stay in the ring, writable, until pio_rx_done(): flush every
 * batch that may point into the block before.
 */
bool pio_rx_block(struct pio *io, pio_rx_fn fn, void *ctx);
void pio_rx_done(struct pio *io);
/* Copy a frame into the batch (flushing a full one first). */
void pio_tx(struct pio *io, const uint8_t *frame, uint32_t len);
/* Put a frame into the batch without a copy: it must live until flushed. */
void pio_tx_ref(struct pio *io, const uint8_t *frame, uint32_t len);
/*
 * The same for a frame whose L4 checksum field (at csum_start +
 * csum_offset) holds only the pseudo-header sum: the kernel, or the
 * receiver, completes it.  Needs io->vnet.
 */
void pio_tx_partial(struct pio *io, const uint8_t *frame, uint32_t len,
		    uint16_t csum_start, uint16_t csum_offset, bool ref);
/*
 * A TCP/IPv4 GSO frame (not copied: it must live until flushed), partial
 * checksum as above, to be cut into segments of gso_size payload bytes
 * after hdr_len bytes of headers, by the kernel or whoever receives it.
 */
void pio_tx_gso(struct pio *io, const uint8_t *frame, uint32_t len,
		uint16_t csum_start, uint16_t hdr_len, uint16_t gso_size,
		uint8_t gso_type);
void pio_flush(struct pio *io);
/* Frames the kernel dropped for want of ring room since the last call. */
uint64_t pio_drops(struct pio *io);

#endif
