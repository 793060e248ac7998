// Where browser mode's dashboard listens unless told otherwise: loopback only.
export const DEFAULT_DASHBOARD_HOST = '127.0.0.1'
export const DEFAULT_DASHBOARD_PORT = 8788
