// gocheck: the Go runtime on bunshin. A Go program is a hard client for a
// kernel: its runtime installs a handler for every signal and runs them on
// an alternate stack, runs goroutines on clone threads that sleep in futex,
// preempts a busy goroutine by sending its thread SIGURG, waits for timers
// and pipes with epoll, turns SIGSEGV and SIGFPE into panics, and starts
// children with clone(CLONE_VM|CLONE_VFORK), and talks TCP and UDP over
// 127.0.0.1 through non-blocking sockets it waits for in epoll. Built with Debian's Go for
// GOARCH=386 by tests/real/go.sh and run on the Linux host (the reference),
// then in bunshin. Each check prints "ok go.NAME" or "FAIL go.NAME: why".
package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

var failed int

func check(name string, ok bool, why string, args ...interface{}) {
	if ok {
		fmt.Printf("ok go.%s\n", name)
	} else {
		failed++
		fmt.Printf("FAIL go.%s: %s\n", name, fmt.Sprintf(why, args...))
	}
}

// Goroutines on several threads at once, joined by a WaitGroup (futex).
func goroutines() {
	var wg sync.WaitGroup
	sums := make([]int, 16)
	for i := range sums {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for j := 0; j < 100000; j++ {
				sums[i] += j % 7
			}
		}(i)
	}
	wg.Wait()
	good := true
	for _, s := range sums {
		good = good && s == sums[0] && s > 0
	}
	check("goroutines", good, "sums %v", sums)
}

// Goroutines locked to their own OS threads: each a clone thread of this
// process, with a thread id of its own.
func threads() {
	const n = 4
	ids := make(chan int, n)
	release := make(chan struct{})
	for i := 0; i < n; i++ {
		go func() {
			runtime.LockOSThread()
			ids <- syscall.Gettid()
			<-release
			runtime.UnlockOSThread()
		}()
	}
	seen := map[int]bool{}
	for i := 0; i < n; i++ {
		seen[<-ids] = true
	}
	close(release)
	check("threads", len(seen) == n, "%d locked goroutines ran on %d threads", n, len(seen))
	check("threads_same_process", os.Getpid() == syscall.Getpid(), "getpid differs")
}

// time.Sleep and a ticker: timers that the runtime waits for in epoll_wait
// or futex with a timeout.
func timers() {
	t0 := time.Now()
	time.Sleep(30 * time.Millisecond)
	d := time.Since(t0)
	check("sleep", d >= 30*time.Millisecond, "time.Sleep(30ms) took %v", d)
	tk := time.NewTicker(10 * time.Millisecond)
	for i := 0; i < 5; i++ {
		<-tk.C
	}
	tk.Stop()
	check("ticker", time.Since(t0) >= 80*time.Millisecond, "5 ticks of 10ms after 30ms by %v", time.Since(t0))
	select {
	case <-time.After(20 * time.Millisecond):
		check("time_after", true, "")
	case <-time.After(10 * time.Second):
		check("time_after", false, "a 20ms timer did not fire before a 10s one")
	}
}

// signal.Notify: the runtime's handler takes the signal and hands it to a
// channel.
func signals() {
	c := make(chan os.Signal, 4)
	signal.Notify(c, syscall.SIGUSR1, syscall.SIGUSR2)
	syscall.Kill(os.Getpid(), syscall.SIGUSR1)
	syscall.Kill(os.Getpid(), syscall.SIGUSR2)
	got := map[os.Signal]bool{}
	timeout := time.After(10 * time.Second)
	for len(got) < 2 {
		select {
		case s := <-c:
			got[s] = true
		case <-timeout:
			check("signal_notify", false, "got %v of SIGUSR1, SIGUSR2 in 10 s", got)
			return
		}
	}
	check("signal_notify", true, "")
	signal.Stop(c)
	// Ignored: the kernel has SIG_IGN for it (bit 9 of SigIgn in
	// /proc/self/status), and a SIGUSR1 then does nothing (its default
	// action would end the process, and with it the test).
	signal.Ignore(syscall.SIGUSR1)
	ign := statusMask("SigIgn")
	check("signal_ignore", ign&(1<<9) != 0, "SigIgn %#x", ign)
	syscall.Kill(os.Getpid(), syscall.SIGUSR1)
	time.Sleep(10 * time.Millisecond)
	// The runtime catches every signal it can (SigCgt), SIGKILL and SIGSTOP
	// aside, which nobody can.
	cgt := statusMask("SigCgt")
	check("signal_all_caught", cgt&(1<<1) != 0 && cgt&(1<<10) != 0 && cgt&(1<<8) == 0,
		"SigCgt %#x: SIGINT, SIGSEGV caught, SIGKILL not", cgt)
}

// A goroutine that never calls a function can only be stopped by a signal:
// with one P, main gets the CPU back from the spinning goroutine only if
// the runtime preempts it with SIGURG (async preemption).
func preempt() {
	old := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(old)
	var stop int32
	var spins uint64
	go func() {
		for atomic.LoadInt32(&stop) == 0 {
			atomic.AddUint64(&spins, 1)
		}
	}()
	time.Sleep(20 * time.Millisecond) // the spinner runs...
	// ...and main runs again only if the spinner was preempted. Without
	// preemption the program hangs here, and the run's time limit fails it.
	atomic.StoreInt32(&stop, 1)
	check("preempt", atomic.LoadUint64(&spins) > 0, "the spinner never ran")
}

// Faults become panics a program can recover from: SIGSEGV on a nil
// pointer, SIGFPE on an integer division by zero.
func faults() {
	check("nil_deref", recovers(func() {
		var p *int
		fmt.Println(*p)
	}, "nil pointer"), "no runtime error for a nil dereference")
	check("divide_by_zero", recovers(func() {
		zero := 0
		fmt.Println(10 / zero)
	}, "divide by zero"), "no runtime error for 10/0")
}

// A mask line of /proc/self/status, such as "SigIgn:\t0000000000001000".
func statusMask(field string) uint64 {
	b, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, field+":") {
			var v uint64
			fmt.Sscanf(strings.TrimSpace(line[len(field)+1:]), "%x", &v)
			return v
		}
	}
	return 0
}

func recovers(f func(), what string) (ok bool) {
	defer func() {
		r := recover()
		err, isErr := r.(error)
		ok = isErr && strings.Contains(err.Error(), what)
	}()
	f()
	return false
}

// A pipe in the runtime's poller: the reader goroutine parks in epoll
// until the writer writes.
func pipes() {
	r, w, err := os.Pipe()
	if err != nil {
		check("pipe", false, "os.Pipe: %v", err)
		return
	}
	got := make(chan string)
	go func() {
		b, _ := io.ReadAll(r)
		got <- string(b)
	}()
	time.Sleep(10 * time.Millisecond)
	w.Write([]byte("through the pipe"))
	w.Close()
	select {
	case s := <-got:
		check("pipe", s == "through the pipe", "read %q", s)
	case <-time.After(10 * time.Second):
		check("pipe", false, "the reader did not wake in 10 s")
	}
	r.Close()
	r2, w2, _ := os.Pipe()
	r2.SetReadDeadline(time.Now().Add(20 * time.Millisecond))
	_, err = r2.Read(make([]byte, 1))
	check("pipe_deadline", errors.Is(err, os.ErrDeadlineExceeded), "read past its deadline: %v", err)
	r2.Close()
	w2.Close()
}

// Files.
func files() {
	name := fmt.Sprintf("/tmp/gocheck.%d", os.Getpid())
	err := os.WriteFile(name, []byte("hello, file\n"), 0644)
	b, err2 := os.ReadFile(name)
	check("file", err == nil && err2 == nil && string(b) == "hello, file\n", "write %v, read %v %q", err, err2, b)
	os.Remove(name)
	_, err = os.Stat(name)
	check("file_removed", os.IsNotExist(err), "stat after remove: %v", err)
}

// Children: os/exec starts them with clone(CLONE_VM|CLONE_VFORK), dup2,
// execve, and waits with wait4.
func children() {
	out, err := exec.Command("/bin/echo", "from", "a child").Output()
	check("exec_output", err == nil && string(out) == "from a child\n", "%q, %v", out, err)
	err = exec.Command("/bin/sh", "-c", "exit 3").Run()
	var ee *exec.ExitError
	check("exec_status", errors.As(err, &ee) && ee.ExitCode() == 3, "exit 3 gave %v", err)
	cmd := exec.Command("/bin/cat")
	cmd.Stdin = strings.NewReader("in and out\n")
	var buf bytes.Buffer
	cmd.Stdout = &buf
	err = cmd.Run()
	check("exec_stdin", err == nil && buf.String() == "in and out\n", "%q, %v", buf.String(), err)
	err = exec.Command("/no/such/program").Run()
	check("exec_missing", err != nil && errors.Is(err, os.ErrNotExist), "%v", err)
	cmd = exec.Command("/bin/sleep", "10")
	if err := cmd.Start(); err != nil {
		check("exec_kill", false, "start: %v", err)
		return
	}
	cmd.Process.Signal(syscall.SIGTERM)
	err = cmd.Wait()
	st, _ := cmd.ProcessState.Sys().(syscall.WaitStatus)
	check("exec_kill", err != nil && st.Signaled() && st.Signal() == syscall.SIGTERM, "%v", err)
}

// Garbage: the collector runs with its worker goroutines on every thread.
func garbage() {
	var keep [][]byte
	for i := 0; i < 2000; i++ {
		b := make([]byte, 16384)
		b[0] = byte(i)
		if i%100 == 0 {
			keep = append(keep, b)
		}
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	check("gc", ms.NumGC > 0 && len(keep) == 20, "NumGC %d", ms.NumGC)
}

// TCP and UDP on the loopback: Go's net package makes its sockets
// non-blocking, connects with EINPROGRESS and waits for the answer in epoll,
// reads SO_ERROR, sets TCP_NODELAY and keepalives, and probes AF_INET6.
func network() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		check("tcp_listen", false, "%v", err)
		return
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		io.Copy(c, c) // an echo server: what comes, goes back
		c.Close()
	}()
	c, err := net.DialTimeout("tcp", ln.Addr().String(), 10*time.Second)
	if err != nil {
		check("tcp_dial", false, "%v", err)
		return
	}
	check("tcp_dial", true, "")
	msg := strings.Repeat("echo ", 20000) // 100 kB: more than one write's worth
	go func() {
		c.Write([]byte(msg))
		c.(*net.TCPConn).CloseWrite()
	}()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	back, err := io.ReadAll(c)
	check("tcp_echo", err == nil && string(back) == msg, "%d of %d bytes back, %v", len(back), len(msg), err)
	check("tcp_addrs", c.LocalAddr().(*net.TCPAddr).IP.String() == "127.0.0.1" &&
		c.RemoteAddr().String() == ln.Addr().String(), "local %v remote %v", c.LocalAddr(), c.RemoteAddr())
	c.Close()
	_, err = net.DialTimeout("tcp", "127.0.0.1:1", 10*time.Second)
	check("tcp_refused", errors.Is(err, syscall.ECONNREFUSED), "dial to a closed port: %v", err)

	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		check("udp", false, "%v", err)
		return
	}
	defer pc.Close()
	u, err := net.Dial("udp", pc.LocalAddr().String())
	if err == nil {
		_, err = u.Write([]byte("datagram"))
	}
	buf := make([]byte, 64)
	pc.SetReadDeadline(time.Now().Add(10 * time.Second))
	n, from, err2 := pc.ReadFrom(buf)
	check("udp", err == nil && err2 == nil && string(buf[:n]) == "datagram" &&
		from.String() == u.LocalAddr().String(), "%v %v %q from %v", err, err2, buf[:n], from)
}

func main() {
	goroutines()
	threads()
	timers()
	signals()
	preempt()
	faults()
	pipes()
	files()
	children()
	garbage()
	network()
	if failed > 0 {
		os.Exit(1)
	}
}
