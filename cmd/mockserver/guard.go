package main

import "net"

// adminHosts are the Host names the admin API answers to without an admin
// token, beyond localhost and loopback addresses: the one --addr names.
func adminHosts(addr string) []string {
	host, _, err := net.SplitHostPort(addr)
	if err != nil || host == "" {
		return nil
	}
	return []string{host}
}
