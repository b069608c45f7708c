/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Interfaces the live engine takes over (see netif.c), and its rings. */
#ifndef MR_ENG_NETIF_H
#define MR_ENG_NETIF_H

#include <stddef.h>
#include <stdint.h>
#include "erec.h"

struct netif_info {
	int ifindex;
	uint8_t mac[6];
	uint16_t mtu;
};

/* Check the interface is fit for the engine and turn its offloads off. */
int netif_take(const char *name, struct netif_info *ni, struct erec_list *errs);

#define PIO_TX_BATCH 64
#define PIO_FRAME_MAX 2048

/* One AF_PACKET socket: a TPACKET_V3 RX ring, a batch of frames to send. */
struct pio {
	int fd;
	uint8_t *ring;
	size_t ring_len;
	unsigned block_size, nblocks, cur;
	unsigned ntx;
	uint64_t tx_errors;
	uint16_t txlen[PIO_TX_BATCH];
	uint8_t txbuf[PIO_TX_BATCH][PIO_FRAME_MAX];
};

/* A received frame: TP_STATUS_* bits in status. */
typedef void (*pio_rx_fn)(void *ctx, const uint8_t *frame, uint32_t len,
			  uint32_t snaplen, uint32_t status);

int pio_open(struct pio *io, const char *name, int ifindex,
	     struct erec_list *errs);
void pio_close(struct pio *io);
/* Hand every frame of the ready blocks to fn; the number of frames. */
unsigned pio_rx(struct pio *io, pio_rx_fn fn, void *ctx);
/* Copy a frame into the batch (flushing a full one first). */
void pio_tx(struct pio *io, const uint8_t *frame, uint32_t len);
void pio_flush(struct pio *io);
/* Frames the kernel dropped for want of ring room since the last call. */
uint64_t pio_drops(struct pio *io);

#endif
