<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP">
<context>
    <name>CoreText</name>
    <message>
        <source>any address (all interfaces)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this machine (loopback)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>link-local (same network segment)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>private network (RFC 1918)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>carrier-grade NAT (shared address space)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unique local IPv6 (private)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>internal range of your organisation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>multicast or broadcast</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>documentation range (never routed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reserved or special-purpose range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the Internet (global address)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Owner known.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A pending connection; credited to the process that owns the listening socket.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Held by the kernel (TIME_WAIT or a pending request); no process owns it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Owner hidden: another user&apos;s process. Run elevated to see it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Owner not found: the process may have exited or passed the socket on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Owner lookup is switched off.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FindingText</name>
    <message>
        <source>an unidentified process (uid %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an unidentified process</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a process (PID %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (PID %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the process</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>port %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>port %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 KB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 MB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 and %2 more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 +%2 (%3/s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 tried to connect to %2 different hosts on %3 in %4 — typical of a network worm spreading</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 tried to connect to %2 different hosts on %3 in %4 — typical of a network scan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 tried to connect to %2 different hosts on %3 port in %4 — typical of a network scan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 tried to connect to %2 different hosts on %3 ports in %4 — typical of a network scan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 tried to connect to %2 different hosts in %3 — typical of a network scan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The kernel did not report the ports: a connect that fails while the program waits for it forgets its port.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 connection attempts are waiting for an answer (SYN_SENT); %2 failed between two polls.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hosts tried: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The kernel reported these attempts only as they closed, so the process behind them is unknown; the socket belonged to uid %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has %2 half-open connections (SYN_RECV) waiting on %3 from %4 address — typical of a SYN flood against this service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has %2 half-open connections (SYN_RECV) waiting on %3 from %4 addresses — typical of a SYN flood against this service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The kernel&apos;s SYN-queue counters are rising (%1) and %2 has a full accept queue on %3 — a SYN flood, or a service too slow to accept its connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The kernel&apos;s SYN-queue counters are rising (%1) and %2 holds the most half-open connections, on %3 — typical of a SYN flood</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The kernel&apos;s SYN-queue counters are rising (%1) — this machine is probably receiving a SYN flood</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sources include %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The kernel&apos;s SYN-queue counters are rising too: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The listener&apos;s accept queue holds %1 of %2 connections.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No listener holds half-open connections right now: with SYN cookies the kernel answers a flood without keeping them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find the source with a packet capture or the firewall log; keep SYN cookies on (net.ipv4.tcp_syncookies=1) and rate-limit new connections.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find where the half-open connections come from; keep SYN cookies on (net.ipv4.tcp_syncookies=1), rate-limit new connections to port %1 in the firewall, or ask your network provider to filter the flood.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at least %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has kept a connection to %2 open for %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has kept a connection to %2 (%3) open for %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has kept %2 connections to %3 open for up to %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1; its traffic is low and periodic (about %2 every %3), as a beacon to a control server would be</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1; its traffic is low (%2 per second on average) but not periodic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1; it moves %2 per second on average</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It was already open when monitoring began, so it may be older than that.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is a global (Internet) address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 and %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 started listening on %2 %3 on all interfaces (%4), so every network this machine is connected to can reach it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 started listening on %2 %3 on %4 only (%5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 started listening on %2 %3 on %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listening on all interfaces is the most exposed choice: Wi-Fi, VPN and any future network included.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listening on one address limits who can connect to the networks behind that address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the SubSeven backdoor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>backdoors and hacking tools (&quot;leet&quot;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the Bagle worm&apos;s backdoor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the MyDoom worm&apos;s backdoor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Metasploit&apos;s default reverse shell and the Blaster worm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the Sasser worm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>IRC, the command channel of many bots</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the NetBus backdoor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the NetBus 2 backdoor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back Orifice and other backdoors (&quot;elite&quot;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the Back Orifice 2000 backdoor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a port in your list of suspicious ports</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a port commonly used by %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is listening on %2 port %3 (%4) — %5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is connected to %2 — port %3 is %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has %2 connections to port %3 (%4 and others) — %5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find out why %1 opens this port; if you do not know the program, end it and scan the machine for malware.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unless you use this service on purpose, end %1 and scan the machine for malware.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, mostly to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 opened %2 new connections in %3 (%4 per second)%5 and now holds %6 sockets — a surge like this can fill a router&apos;s NAT table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 went from %2 to %3 open sockets within %4%5 — a surge like this can fill a router&apos;s NAT table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open sockets: %1 (lowest in the window %2); new connections in the window: %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>uses the name of a kernel thread but runs the program %1 — real kernel threads have no program file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>imitates the system process %1: the names differ by %2 letter — malware hides behind names like this</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>imitates the system process %1: the names differ by %2 letters — malware hides behind names like this</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>carries the name of the system process %1 but runs from %2, not from a system directory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>runs from an executable that has been deleted (%1) — malware deletes its file to hide; a software update that replaced the file does this too</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>runs from %1, in %2, a directory anyone can write to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Command line: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parent process: PID %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This machine turned away %1 probes of closed ports in %2 (TCP resets %3/s, UDP datagrams to closed ports %4/s, ICMP port unreachables %5/s) — typical of a port scan against it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>These counters are kept by the kernel for the whole network namespace; they say that probes arrived, not from where.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unless %1 is a scanner you run on purpose, disconnect this machine from the network, end the process and check the machine with an up-to-date malware scanner.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>If you do not know why %1 keeps this connection open, look the address up (whois, reputation services); a program you do not recognise that beacons like this should be ended and the machine scanned.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>If you did not expect %1 to accept connections, stop it or block port %2 in the firewall; a service that only this machine uses should listen on 127.0.0.1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>If %1 should not open this many connections, end it: a worm or a misbehaving program can exhaust the router&apos;s NAT table and cut the whole network off.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check the program file (its path, hash and signature) and the parent that started it; if it is not a program you installed, end it and scan the machine.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find the scanning address with a packet capture or the firewall log and block it; make sure only the services you need are listening.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>High</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Medium</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Low</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Info</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (PID %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>whole host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2 finding %3 about %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Path: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Evidence:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>- %1 %2 -&gt; %3 %4%5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (closed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>- … %1 sockets in all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>- %1 = %2, +%3 over the window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What to do: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 +%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 severity: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n more finding(s) on this row; see the Findings tab.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ×%2 (%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>process gone at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>last seen at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 high finding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 high findings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 medium finding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 medium findings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No active high or medium findings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n resolved (last: %1 %2, %3)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Resolved: %1 %2, %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown process of uid %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>closed (short-lived)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>closed (was %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(hidden)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(kernel)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(not looked up)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(unknown)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (deleted)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Command line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parent PID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 TCP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 UDP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No rate yet: it needs two samples.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent %1, received %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed; kept visible for a few updates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Process</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Protocol</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Local address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remote address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scope</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Receive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Age</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>+ new, ~ changed, x closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where the remote end lives: loopback, lan, link-local, multicast, internet; for listeners, the interfaces they listen on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bytes per second sent (acknowledged by the peer)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bytes per second received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bytes sent plus received: for a connection, over its whole life as the system counts them; for a process, while monitored</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How long the connection has been seen; for closed ones, how long it lived</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Severity of the most severe finding on this row (⚠ high, ▲ medium, ● low, ℹ info); sorts by severity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Behaviour findings on this row: severity and rule (⚠ high, ▲ medium, ● low, ℹ info); sorts by severity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First seen %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sockets without an owning process: TIME_WAIT and half-open requests belong to the kernel, and owners of other users&apos; sockets are hidden without root.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TCP %1, UDP %2, listening %3, established %4, closed recently %5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no process)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 d %2 h</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>portscope: refusing to start: %1. Any user who can run this program could use these privileges through it. Remove them from the program file (for example sudo setcap -r &quot;$(command -v portscope)&quot;) and use &quot;Show all processes (administrator)…&quot; instead, which starts portscope-helper through pkexec after asking for authorization.
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Processes, their connections and their traffic.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A recorded session to play instead of monitoring this computer.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>portscope::gui::ElevationController</name>
    <message>
        <source>Restart as &amp;administrator…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting for authorization…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Showing all processes (administrator)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show all processes (&amp;administrator)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All processes (admin)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All processes (admin)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start PortScope again with administrator rights (asks through the UAC prompt): traffic counters and every process&apos;s details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start a small privileged helper (asks for authorization) to see the owners of every socket; the window keeps running as you</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 because PortScope runs without privileges. &lt;b&gt;Show all processes (administrator)…&lt;/b&gt; starts a small privileged helper once you authorize it; this window keeps running as you.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 because PortScope runs without administrator rights. &lt;b&gt;Restart as administrator&lt;/b&gt; to see them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 because PortScope runs without privileges. To see every owner, start it elevated, e.g. &lt;code&gt;sudo -E %2&lt;/code&gt;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The administrator helper could not be started.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The administrator helper could not be started: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>portscope::gui::FindingNotifier</name>
    <message>
        <source>%1 %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (PID %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>High-severity finding</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>portscope::gui::FindingsPanel</name>
    <message>
        <source>Severity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Process</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Summary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First seen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last seen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Go to process</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select the process of this finding in the list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Kill process…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select the process of this finding and ask to kill it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;lose connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reset the open TCP connections this finding cites as evidence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy finding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the summary, evidence and what to do as text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (resolved)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No data yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (PID %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PID %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n active finding(s) for %1 (%2 on the whole host; clear the selection to see them all).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>No active findings. The rules watch for scans, SYN floods, look-alike process names, new listeners and more.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n active finding(s).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n ended this session, listed below as resolved.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Resolved: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;i&gt;Select a finding to see its evidence and what to do about it.&lt;/i&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Resolved:&lt;/b&gt; %1. What follows is the finding as it was last.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Process:&lt;/b&gt; %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;br&gt;&lt;b&gt;Seen:&lt;/b&gt; %1 to %2 (for %3)&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>&lt;p&gt;&lt;b&gt;Evidence: %n socket(s)&lt;/b&gt;</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source> (the %1 most recent shown)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;tr&gt;&lt;th align=&quot;left&quot;&gt;Protocol&lt;/th&gt;&lt;th align=&quot;left&quot;&gt;Local&lt;/th&gt;&lt;th align=&quot;left&quot;&gt;Remote&lt;/th&gt;&lt;th align=&quot;left&quot;&gt;State&lt;/th&gt;&lt;/tr&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>closed (was %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, short-lived</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Evidence: host counters&lt;/b&gt;&lt;/p&gt;&lt;ul&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;li&gt;&lt;code&gt;%1&lt;/code&gt; = %2, +%3 over the window (%4/s)&lt;/li&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;What to do:&lt;/b&gt; %1&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>portscope::gui::LanguageMenu</name>
    <message>
        <source>&amp;Language (applies after a restart)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System default</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>portscope::gui::MainWindow</name>
    <message>
        <source>Main</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> Update every </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Custom…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How often the system is polled; applies at once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter (Ctrl+F): text  proc:  pid:  port:135-139  state:listen  proto:tcp  scope:internet  user:  host:  -term excludes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type to filter; see Help › Filter syntax</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Traffic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Process</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Findings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Statistics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot start monitoring</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Monitoring %1 could not start: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replay: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Live — all processes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Live — your processes only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Source: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (this computer)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (recorded)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Custom update interval</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seconds between updates (0.25 to 60):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter not applied, column %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Findings (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The administrator helper stopped: %1 PortScope shows what your user can see again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Processes %1 · TCP %2 · UDP %3 · Listening %4 · Established %5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>↑ %1  ↓ %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>↑ –  ↓ –</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Total send and receive rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Poll %1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How long the last poll of the system took (tracking: %1 ms)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The system dropped some close events; a full rescan recovered the list, but very short connections may have been missed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;The owner of one socket is hidden&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;The owners of %1 sockets are hidden&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That finding has ended; its process may be gone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That finding is about the whole host, not one process.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The filter hides that process; clear the filter to see it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That process is no longer listed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That finding has ended; its connections are gone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A recorded session shows connections of the past; they cannot be closed from here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closing connections is not available in this build.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None of the connections this finding cites is open and can be reset.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed %1 of the finding&apos;s connections.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed %1 of %2 of the finding&apos;s connections; the others could not be reset.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (PID %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the whole machine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reset the selected TCP connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select an open TCP connection of this computer (not listening, not TIME_WAIT)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change marker (+ ~ x)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+P</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause or resume updates (Space, Ctrl+P)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Refresh now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Poll at once, even while paused (F5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Group by process</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+G</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Switch between the process tree and the flat connection table (Ctrl+G)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Flagged processes first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep processes and connections with findings at the top, most severe first, whatever column the list is sorted by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resolve &amp;host names</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Look up the names of remote addresses (reverse DNS, cached, off the polling path)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Kill process…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Terminate the selected process after confirmation (Del)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Close connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the rows that pass the filter as CSV, JSON or HTML (Ctrl+S)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open recorded session…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Monitor this &amp;computer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Record session…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+R</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the live session to a file that File › Open recorded session can play later (Ctrl+R)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Filter…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter &amp;syntax</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About PortScope</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About PortScope</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;PortScope %1&lt;/b&gt;&lt;br&gt;Processes, their connections and their traffic, live or from a recorded session.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Expand all processes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+E</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;ollapse all processes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+Shift+E</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Show</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Process</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export &amp;evidence for this process…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write one HTML report on the selected process: its connections, findings, traffic graph and program hash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter syntax</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;Terms are combined with AND; text is matched without regard to case.&lt;/p&gt;&lt;table cellspacing=4&gt;&lt;tr&gt;&lt;td&gt;&lt;code&gt;firefox&lt;/code&gt;&lt;/td&gt;&lt;td&gt;process name, path, addresses, host name or PID&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;code&gt;&quot;web content&quot;&lt;/code&gt;&lt;/td&gt;&lt;td&gt;quoted text keeps spaces&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;code&gt;proc:sshd&lt;/code&gt;&lt;/td&gt;&lt;td&gt;process name or path&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;code&gt;pid:1234&lt;/code&gt;&lt;/td&gt;&lt;td&gt;process id (ranges allowed)&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;code&gt;port:443&lt;/code&gt;, &lt;code&gt;port:135-139&lt;/code&gt;&lt;/td&gt;&lt;td&gt;local or remote port&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;code&gt;lport:22&lt;/code&gt;, &lt;code&gt;rport:80,443&lt;/code&gt;&lt;/td&gt;&lt;td&gt;local / remote port; commas give alternatives&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;code&gt;state:listen&lt;/code&gt;, &lt;code&gt;state:closed&lt;/code&gt;&lt;/td&gt;&lt;td&gt;socket state; closed = rows that have gone&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;code&gt;proto:tcp&lt;/code&gt;, &lt;code&gt;proto:udp6&lt;/code&gt;&lt;/td&gt;&lt;td&gt;protocol (and family)&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;code&gt;scope:internet&lt;/code&gt;&lt;/td&gt;&lt;td&gt;loopback, lan, link-local, multicast, internet, any&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;code&gt;user:root&lt;/code&gt;&lt;/td&gt;&lt;td&gt;user name or uid&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;code&gt;host:example.org&lt;/code&gt;&lt;/td&gt;&lt;td&gt;remote host name or address&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;code&gt;ip:10.0.0.0/8&lt;/code&gt;&lt;/td&gt;&lt;td&gt;local or remote address, network or range a-b&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;code&gt;-state:time_wait&lt;/code&gt;, &lt;code&gt;!proc:chrome&lt;/code&gt;&lt;/td&gt;&lt;td&gt;exclude&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot monitor this computer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The live source could not start: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open recorded session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (recorded session)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open recorded session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PortScope recordings (*.psreplay *.replay);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p style=&apos;color:#b00020&apos;&gt;%1; &lt;b&gt;flagged: %2 (%3)&lt;/b&gt;&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;Consider exporting the evidence (File › Export…) before ending it.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p style=&apos;color:#b00020&apos;&gt;&lt;b&gt;This looks like a system process.&lt;/b&gt; Ending it can log users out, cut network access or make the system unstable.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;table cellspacing=3&gt;&lt;tr&gt;&lt;td&gt;Name:&lt;/td&gt;&lt;td&gt;&lt;b&gt;%1&lt;/b&gt;&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;PID:&lt;/td&gt;&lt;td&gt;%2&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;User:&lt;/td&gt;&lt;td&gt;%3&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Path:&lt;/td&gt;&lt;td&gt;%4&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Started:&lt;/td&gt;&lt;td&gt;%5&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a process (or one of its connections) to kill.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A recorded session shows processes of the past; they cannot be killed from here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kill process &lt;b&gt;%1&lt;/b&gt; (PID %2)?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;Its open connection will be closed.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;Its %1 open connections will be closed.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Kill these %n processes?</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;%1&lt;/b&gt; (PID %2, %3)&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>path unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kill process</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kill processes</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Kill %n processes</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Killing processes is not available in this build.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (PID %2) was terminated.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (PID %2) could not be terminated: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Terminating %1 (PID %2)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select an open TCP connection to close (not a listener and not TIME_WAIT).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 → %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed the connection %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection %1 could not be closed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copied one row.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copied %1 rows.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1: it is a symbolic link, and PortScope does not write through links.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing %1 failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to export yet: no update has arrived.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a process (or one of its connections) to export its evidence.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export evidence for this process</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HTML report (*.html)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported the evidence to %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported to %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PortScope recordings (*.psreplay)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only live monitoring can be recorded; a recorded session is a file already.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open it with File › Open recorded session.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop &amp;recording</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop recording</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop recording and close the file (Ctrl+R)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>● Recording to %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 snapshot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 snapshots</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recording to %1; File › Stop recording ends it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting for authorization to start the administrator helper… Until it is ready PortScope goes on showing what your user can see.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The administrator helper is ready; it is used when you monitor this computer again (File › Monitor this computer).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Showing all processes: the administrator helper (PID %1) reads the system now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The administrator helper started, but monitoring through it failed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TCP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show TCP sockets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>UDP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show UDP sockets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>IPv4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show IPv4 sockets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>IPv6</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show IPv6 sockets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listening</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show listening TCP sockets and unconnected UDP sockets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loopback</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show connections on 127.0.0.0/8 and ::1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TIME_WAIT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show TCP connections in TIME_WAIT</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>portscope::gui::ProcessDetailsPanel</name>
    <message>
        <source>Compute SHA-256</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PID:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Path:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Command line:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parent:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Started:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SHA-256:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Findings:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a process, or a connection that has one, to see its details.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (uid %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (deleted since it started)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2 %3: %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Some details could not be read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>computing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (deleted: hashed from the running image)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>portscope::gui::RecordingController</name>
    <message>
        <source>1 snapshot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 snapshots</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only live monitoring can be recorded; a recorded session is a file already.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recording stopped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recording stopped because a recorded session was opened.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recording stopped because monitoring could not go on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recording stopped because the source ended.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recording stopped: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2 saved to %3.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>portscope::gui::StatisticsPanel</name>
    <message>
        <source>Counter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Per second</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cited by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No data yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The source reports no protocol counters (netstat -s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cited by an active finding: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n counter(s); %1 behind active findings (highlighted).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n counter(s), with the rate over the last update interval.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>portscope::gui::TrafficChart</name>
    <message>
        <source>Send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Receive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>whole machine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Traffic of %1, last 10 minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No traffic recorded for %1 yet. A process gets a history once it moves bytes while selected or busy.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Now: send %1, receive %2. Peak in view: %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading the traffic history of %1 with the next update…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
