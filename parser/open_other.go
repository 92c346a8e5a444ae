//go:build !unix

package parser

// openFlags are added to os.O_RDONLY when an input is opened (see open_unix.go).
const openFlags = 0
