/*
 * iommufd-sim: letting other threads in while a call is half done
 *
 * Every simulated call runs under one lock, so another thread's DMA never
 * sees an operation half done.  Where the kernel's own operation is not
 * atomic -- a RID replace passes through the blocked domain -- the
 * simulator can open the same window for DMA to land in.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IOMMUFD_SIM_LOCK_WINDOW_H
#define IOMMUFD_SIM_LOCK_WINDOW_H

/*
 * Releases the simulator's lock (held once by the caller) for us
 * microseconds, then takes it back.
 */
void sim_lock_window(unsigned us);

/* The device's own thread takes and releases the simulator's lock. */
void sim_lock_enter(void);
void sim_lock_leave(void);

#endif /* IOMMUFD_SIM_LOCK_WINDOW_H */
