//go:build unix

package parser

import "syscall"

// openFlags are added to os.O_RDONLY when an input is opened: non-blocking, so that a path
// that became a named pipe after it was checked cannot make the open wait for a writer. Reading
// a regular file ignores the flag.
const openFlags = syscall.O_NONBLOCK
