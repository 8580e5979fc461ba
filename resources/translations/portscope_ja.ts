<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP">
<context>
    <name>AboutDialog</name>
    <message>
        <source>&lt;h3&gt;PortScope %1&lt;/h3&gt;</source>
        <translation>&lt;h3&gt;PortScope %1&lt;/h3&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Every process with its TCP and UDP connections, live: endpoints, state, owner, traffic and a graph. PortScope names what looks wrong in plain words — a worm fanning out, a SYN flood, a program posing as a system one — lets you end the process safely, and exports the evidence for a ticket.&lt;/p&gt;</source>
        <translation>&lt;p&gt;すべてのプロセスとその TCP / UDP 接続を、アドレスとポート、状態、所有者、通信量、グラフとともにリアルタイムで表示します。ほかのコンピューターへ広がろうとするワーム、SYN フラッド、システム プロセスを装ったプログラムなど、不審な動きをわかりやすい言葉で知らせ、プロセスを安全に終了できるようにし、問い合わせチケットに添える証拠をエクスポートします。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Shown now: %1&lt;br&gt;Computer: %2 (%3)&lt;br&gt;Qt %4 (built with %5)&lt;br&gt;Settings: %6&lt;/p&gt;</source>
        <translation>&lt;p&gt;表示中: %1&lt;br&gt;コンピューター: %2 (%3)&lt;br&gt;Qt %4 (ビルド時: %5)&lt;br&gt;設定ファイル: %6&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Help › Filter syntax lists the filter language. The guide that comes with PortScope walks through a helpdesk case step by step; the command-line program &lt;tt&gt;portscope-cli&lt;/tt&gt; does the same from a terminal and a script.&lt;/p&gt;</source>
        <translation>&lt;p&gt;フィルターの書き方は [ヘルプ] › [フィルターの書き方] で確認できます。PortScope に付属のガイドでは、ヘルプデスクでの対応例を順を追って説明しています。コマンド ライン プログラムの &lt;tt&gt;portscope-cli&lt;/tt&gt; を使うと、同じことをターミナルやスクリプトから行えます。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>About PortScope</source>
        <translation>PortScope について</translation>
    </message>
</context>
<context>
    <name>CliText</name>
    <message>
        <source>No findings.</source>
        <translation>検出結果はありません。</translation>
    </message>
    <message>
        <source>action: %1</source>
        <translation>対処: %1</translation>
    </message>
    <message>
        <source>netstat -s counters at %1, rates over %2 s (&apos;!&apos; = behind an active finding)</source>
        <translation>netstat -s カウンター (%1 時点、%2 秒あたりの増加率。&apos;!&apos; は有効な検出結果の根拠)</translation>
    </message>
</context>
<context>
    <name>CoreText</name>
    <message>
        <source>any address (all interfaces)</source>
        <translation>任意のアドレス (すべてのインターフェース)</translation>
    </message>
    <message>
        <source>this machine (loopback)</source>
        <translation>このコンピューター (ループバック)</translation>
    </message>
    <message>
        <source>link-local (same network segment)</source>
        <translation>リンクローカル (同じネットワーク セグメント)</translation>
    </message>
    <message>
        <source>private network (RFC 1918)</source>
        <translation>プライベート ネットワーク (RFC 1918)</translation>
    </message>
    <message>
        <source>carrier-grade NAT (shared address space)</source>
        <translation>キャリアグレード NAT (共有アドレス空間)</translation>
    </message>
    <message>
        <source>unique local IPv6 (private)</source>
        <translation>ユニーク ローカル IPv6 (プライベート)</translation>
    </message>
    <message>
        <source>internal range of your organisation</source>
        <translation>組織内のアドレス範囲</translation>
    </message>
    <message>
        <source>multicast or broadcast</source>
        <translation>マルチキャストまたはブロードキャスト</translation>
    </message>
    <message>
        <source>documentation range (never routed)</source>
        <translation>ドキュメント用の範囲 (ルーティングされません)</translation>
    </message>
    <message>
        <source>reserved or special-purpose range</source>
        <translation>予約済みまたは特殊用途の範囲</translation>
    </message>
    <message>
        <source>the Internet (global address)</source>
        <translation>インターネット (グローバル アドレス)</translation>
    </message>
    <message>
        <source>Owner known.</source>
        <translation>所有者は判明しています。</translation>
    </message>
    <message>
        <source>A pending connection; credited to the process that owns the listening socket.</source>
        <translation>確立待ちの接続です。待ち受けソケットを持つプロセスのものとして表示しています。</translation>
    </message>
    <message>
        <source>Held by the kernel (TIME_WAIT or a pending request); no process owns it.</source>
        <translation>カーネルが保持しています (TIME_WAIT または確立待ちの要求)。所有するプロセスはありません。</translation>
    </message>
    <message>
        <source>Owner hidden: another user&apos;s process. Run elevated to see it.</source>
        <translation>所有者は表示できません: 他のユーザーのプロセスです。管理者として実行すると表示されます。</translation>
    </message>
    <message>
        <source>Owner not found: the process may have exited or passed the socket on.</source>
        <translation>所有者が見つかりません: プロセスが終了したか、ソケットを別のプロセスに渡した可能性があります。</translation>
    </message>
    <message>
        <source>Owner lookup is switched off.</source>
        <translation>所有者の調査はオフになっています。</translation>
    </message>
</context>
<context>
    <name>FindingText</name>
    <message>
        <source>an unidentified process (uid %1)</source>
        <translation>特定できないプロセス (UID %1)</translation>
    </message>
    <message>
        <source>an unidentified process</source>
        <translation>特定できないプロセス</translation>
    </message>
    <message>
        <source>a process (PID %1)</source>
        <translation>プロセス (PID %1)</translation>
    </message>
    <message>
        <source>%1 (PID %2)</source>
        <translation>%1 (PID %2)</translation>
    </message>
    <message>
        <source>the process</source>
        <translation>そのプロセス</translation>
    </message>
    <message>
        <source>port %1</source>
        <translation>ポート %1</translation>
    </message>
    <message>
        <source>port %1 (%2)</source>
        <translation>ポート %1 (%2)</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 分</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 時間</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 時間 %2 分</translation>
    </message>
    <message>
        <source>%1 bytes</source>
        <translation>%1 バイト</translation>
    </message>
    <message>
        <source>%1 KB</source>
        <translation>%1 KB</translation>
    </message>
    <message>
        <source>%1 MB</source>
        <translation>%1 MB</translation>
    </message>
    <message>
        <source>%1 and %2 more</source>
        <translation>%1 ほか %2 件</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>%1 +%2 (%3/s)</source>
        <translation>%1 +%2 (毎秒 %3)</translation>
    </message>
    <message>
        <source>since before monitoring began</source>
        <translation>監視を始める前から</translation>
    </message>
    <message>
        <source>in %1</source>
        <translation>%1の間に</translation>
    </message>
    <message>
        <source>%1 tried to connect to %2 different hosts on %3 %4 — typical of a network worm spreading</source>
        <translation>%1 が %4 %2 台のホストの%3 へ接続を試みました。ネットワーク ワームが広がるときの典型的な動きです</translation>
    </message>
    <message>
        <source>%1 tried to connect to %2 different hosts on %3 %4 — typical of a network scan</source>
        <translation>%1 が %4 %2 台のホストの%3 へ接続を試みました。ネットワーク スキャンの典型的な動きです</translation>
    </message>
    <message>
        <source>%1 tried to connect to %2 different hosts on %3 port %4 — typical of a network scan</source>
        <translation>%1 が %4 %2 台のホストの %3 個のポートへ接続を試みました。ネットワーク スキャンの典型的な動きです</translation>
    </message>
    <message>
        <source>%1 tried to connect to %2 different hosts on %3 ports %4 — typical of a network scan</source>
        <translation>%1 が %4 %2 台のホストの %3 個のポートへ接続を試みました。ネットワーク スキャンの典型的な動きです</translation>
    </message>
    <message>
        <source>%1 tried to connect to %2 different hosts %3 — typical of a network scan</source>
        <translation>%1 が %3 %2 台のホストへ接続を試みました。ネットワーク スキャンの典型的な動きです</translation>
    </message>
    <message>
        <source>The kernel did not report the ports: a connect that fails while the program waits for it forgets its port.</source>
        <translation>カーネルはポートを報告しませんでした。プログラムが応答を待っている間に失敗した接続は、ポートの情報が残りません。</translation>
    </message>
    <message>
        <source>%1 connection attempts are waiting for an answer (SYN_SENT); %2 failed between two polls.</source>
        <translation>%1 件の接続試行が応答を待っています (SYN_SENT)。%2 件は取得の合間に失敗しました。</translation>
    </message>
    <message>
        <source>Hosts tried: %1.</source>
        <translation>接続を試みたホスト: %1。</translation>
    </message>
    <message>
        <source>The kernel reported these attempts only as they closed, so the process behind them is unknown; the socket belonged to uid %1.</source>
        <translation>カーネルはこれらの接続試行を閉じたときにだけ報告したため、どのプロセスによるものかは分かりません。ソケットは UID %1 のものでした。</translation>
    </message>
    <message>
        <source>%1 has %2 half-open connections (SYN_RECV) waiting on %3 from %4 address — typical of a SYN flood against this service</source>
        <translation>%1 の%3 に、%4 個のアドレスからのハーフオープン接続 (SYN_RECV) が %2 件たまっています。このサービスへの SYN フラッド攻撃の典型的な状態です</translation>
    </message>
    <message>
        <source>%1 has %2 half-open connections (SYN_RECV) waiting on %3 from %4 addresses — typical of a SYN flood against this service</source>
        <translation>%1 の%3 に、%4 個のアドレスからのハーフオープン接続 (SYN_RECV) が %2 件たまっています。このサービスへの SYN フラッド攻撃の典型的な状態です</translation>
    </message>
    <message>
        <source>The kernel&apos;s SYN-queue counters are rising (%1) and %2 has a full accept queue on %3 — a SYN flood, or a service too slow to accept its connections</source>
        <translation>カーネルの SYN キューのカウンターが増えており (%1)、%2 の%3 の受け入れキューが満杯です。SYN フラッド攻撃か、接続の受け入れが追いつかないサービスです</translation>
    </message>
    <message>
        <source>The kernel&apos;s SYN-queue counters are rising (%1) and %2 holds the most half-open connections, on %3 — typical of a SYN flood</source>
        <translation>カーネルの SYN キューのカウンターが増えており (%1)、%2 の%3 が最も多くのハーフオープン接続を抱えています。SYN フラッド攻撃の典型的な状態です</translation>
    </message>
    <message>
        <source>The kernel&apos;s SYN-queue counters are rising (%1) — this machine is probably receiving a SYN flood</source>
        <translation>カーネルの SYN キューのカウンターが増えています (%1)。このコンピューターは SYN フラッド攻撃を受けている可能性があります</translation>
    </message>
    <message>
        <source>Sources include %1.</source>
        <translation>送信元には %1 が含まれます。</translation>
    </message>
    <message>
        <source>The kernel&apos;s SYN-queue counters are rising too: %1.</source>
        <translation>カーネルの SYN キューのカウンターも増えています: %1。</translation>
    </message>
    <message>
        <source>The listener&apos;s accept queue holds %1 of %2 connections.</source>
        <translation>待ち受けソケットの受け入れキューには %2 件中 %1 件の接続がたまっています。</translation>
    </message>
    <message>
        <source>No listener holds half-open connections right now: with SYN cookies the kernel answers a flood without keeping them.</source>
        <translation>現在ハーフオープン接続を抱えている待ち受けソケットはありません。SYN cookie が有効な場合、カーネルは接続を保持せずにフラッドに応答します。</translation>
    </message>
    <message>
        <source>Find the source with a packet capture or the firewall log; keep SYN cookies on (net.ipv4.tcp_syncookies=1) and rate-limit new connections.</source>
        <translation>パケット キャプチャかファイアウォールのログで送信元を特定してください。SYN cookie は有効のままにし (net.ipv4.tcp_syncookies=1)、新しい接続の数を制限してください。</translation>
    </message>
    <message>
        <source>Find where the half-open connections come from; keep SYN cookies on (net.ipv4.tcp_syncookies=1), rate-limit new connections to port %1 in the firewall, or ask your network provider to filter the flood.</source>
        <translation>ハーフオープン接続の送信元を特定してください。SYN cookie は有効のままにし (net.ipv4.tcp_syncookies=1)、ファイアウォールでポート %1 への新しい接続の数を制限するか、回線事業者にフラッドの遮断を依頼してください。</translation>
    </message>
    <message>
        <source>at least %1</source>
        <translation>少なくとも %1</translation>
    </message>
    <message>
        <source>%1 has kept a connection to %2 open for %3</source>
        <translation>%1 が %2 への接続を %3開いたままにしています</translation>
    </message>
    <message>
        <source>%1 has kept a connection to %2 (%3) open for %4</source>
        <translation>%1 が %2 (%3) への接続を %4開いたままにしています</translation>
    </message>
    <message>
        <source>%1 has kept %2 connections to %3 open for up to %4</source>
        <translation>%1 が %3 への接続 %2 件を最長 %4開いたままにしています</translation>
    </message>
    <message>
        <source>%1; its traffic is low and periodic (about %2 every %3), as a beacon to a control server would be</source>
        <translation>%1。通信量は少なく周期的 (%3ごとに約 %2) で、指令サーバーへのビーコン通信に似ています</translation>
    </message>
    <message>
        <source>%1; its traffic is low (%2 per second on average) but not periodic</source>
        <translation>%1。通信量は少ない (平均で毎秒 %2) ものの、周期的ではありません</translation>
    </message>
    <message>
        <source>%1; it moves %2 per second on average</source>
        <translation>%1。平均で毎秒 %2 を通信しています</translation>
    </message>
    <message>
        <source>It was already open when monitoring began, so it may be older than that.</source>
        <translation>監視を始めたときにはすでに開いていたため、実際にはもっと前からの接続かもしれません。</translation>
    </message>
    <message>
        <source>%1 is a global (Internet) address.</source>
        <translation>%1 はグローバル (インターネット上の) アドレスです。</translation>
    </message>
    <message>
        <source>%1 and %2</source>
        <translation>%1、%2</translation>
    </message>
    <message>
        <source>%1 started listening on %2 %3 on all interfaces (%4), so every network this machine is connected to can reach it</source>
        <translation>%1 が %2 の%3 で、すべてのインターフェース (%4) での待ち受けを始めました。このコンピューターがつながっているすべてのネットワークから接続できます</translation>
    </message>
    <message>
        <source>%1 started listening on %2 %3 on %4 only (%5)</source>
        <translation>%1 が %2 の%3 で、%4 だけでの待ち受けを始めました (%5)</translation>
    </message>
    <message>
        <source>%1 started listening on %2 %3 on %4</source>
        <translation>%1 が %2 の%3 で、%4 での待ち受けを始めました</translation>
    </message>
    <message>
        <source>Listening on all interfaces is the most exposed choice: Wi-Fi, VPN and any future network included.</source>
        <translation>すべてのインターフェースでの待ち受けは、最も外部にさらされる設定です。Wi-Fi、VPN、今後つなぐネットワークも含まれます。</translation>
    </message>
    <message>
        <source>Listening on one address limits who can connect to the networks behind that address.</source>
        <translation>1 つのアドレスだけで待ち受けると、接続できるのはそのアドレスの先のネットワークに限られます。</translation>
    </message>
    <message>
        <source>the SubSeven backdoor</source>
        <translation>SubSeven バックドア</translation>
    </message>
    <message>
        <source>backdoors and hacking tools (&quot;leet&quot;)</source>
        <translation>バックドアやハッキング ツール (&quot;leet&quot;)</translation>
    </message>
    <message>
        <source>the Bagle worm&apos;s backdoor</source>
        <translation>Bagle ワームのバックドア</translation>
    </message>
    <message>
        <source>the MyDoom worm&apos;s backdoor</source>
        <translation>MyDoom ワームのバックドア</translation>
    </message>
    <message>
        <source>Metasploit&apos;s default reverse shell and the Blaster worm</source>
        <translation>Metasploit の既定のリバース シェルや Blaster ワーム</translation>
    </message>
    <message>
        <source>the Sasser worm</source>
        <translation>Sasser ワーム</translation>
    </message>
    <message>
        <source>IRC, the command channel of many bots</source>
        <translation>IRC (多くのボットの指令チャネル)</translation>
    </message>
    <message>
        <source>the NetBus backdoor</source>
        <translation>NetBus バックドア</translation>
    </message>
    <message>
        <source>the NetBus 2 backdoor</source>
        <translation>NetBus 2 バックドア</translation>
    </message>
    <message>
        <source>Back Orifice and other backdoors (&quot;elite&quot;)</source>
        <translation>Back Orifice などのバックドア (&quot;elite&quot;)</translation>
    </message>
    <message>
        <source>the Back Orifice 2000 backdoor</source>
        <translation>Back Orifice 2000 バックドア</translation>
    </message>
    <message>
        <source>a port in your list of suspicious ports</source>
        <translation>不審なポートの一覧に登録されたポートです</translation>
    </message>
    <message>
        <source>a port commonly used by %1</source>
        <translation>%1がよく使うポートです</translation>
    </message>
    <message>
        <source>%1 is listening on %2 port %3 (%4) — %5</source>
        <translation>%1 が %2 のポート %3 (%4) で待ち受けています。%5</translation>
    </message>
    <message>
        <source>%1 is connected to %2 — port %3 is %4</source>
        <translation>%1 が %2 に接続しています。ポート %3 は%4</translation>
    </message>
    <message>
        <source>%1 has %2 connections to port %3 (%4 and others) — %5</source>
        <translation>%1 がポート %3 へ %2 件の接続を持っています (%4 など)。%5</translation>
    </message>
    <message>
        <source>Find out why %1 opens this port; if you do not know the program, end it and scan the machine for malware.</source>
        <translation>%1 がこのポートを開いている理由を確認してください。心当たりのないプログラムなら終了し、コンピューターのマルウェア スキャンを行ってください。</translation>
    </message>
    <message>
        <source>Unless you use this service on purpose, end %1 and scan the machine for malware.</source>
        <translation>このサービスを意図して使っているのでなければ、%1 を終了し、コンピューターのマルウェア スキャンを行ってください。</translation>
    </message>
    <message>
        <source>, mostly to %1</source>
        <translation> (主に%1 宛て)</translation>
    </message>
    <message>
        <source>%1 opened %2 new connections in %3 (%4 per second)%5 and now holds %6 sockets — a surge like this can fill a router&apos;s NAT table</source>
        <translation>%1 が %3の間に %2 件の新しい接続を開き%5、現在 %6 個のソケットを持っています (毎秒 %4 件)。このような急増はルーターの NAT テーブルをあふれさせることがあります</translation>
    </message>
    <message>
        <source>%1 went from %2 to %3 open sockets within %4%5 — a surge like this can fill a router&apos;s NAT table</source>
        <translation>%1 の開いているソケットが %4の間に %2 個から %3 個に増えました%5。このような急増はルーターの NAT テーブルをあふれさせることがあります</translation>
    </message>
    <message>
        <source>Open sockets: %1 (lowest in the window %2); new connections in the window: %3.</source>
        <translation>開いているソケット: %1 個 (期間中の最少 %2 個)。期間中の新しい接続: %3 件。</translation>
    </message>
    <message>
        <source>uses the name of a kernel thread but runs the program %1 — real kernel threads have no program file</source>
        <translation>カーネル スレッドの名前を使っていますが、プログラム %1 を実行しています。本物のカーネル スレッドにはプログラム ファイルがありません</translation>
    </message>
    <message>
        <source>imitates the system process %1: the names differ by %2 letter — malware hides behind names like this</source>
        <translation>システム プロセス %1 に似せた名前です (違いは %2 文字)。マルウェアはこのような名前で紛れ込みます</translation>
    </message>
    <message>
        <source>imitates the system process %1: the names differ by %2 letters — malware hides behind names like this</source>
        <translation>システム プロセス %1 に似せた名前です (違いは %2 文字)。マルウェアはこのような名前で紛れ込みます</translation>
    </message>
    <message>
        <source>carries the name of the system process %1 but runs from %2, not from a system directory</source>
        <translation>システム プロセス %1 と同じ名前ですが、システムのフォルダーではなく %2 から実行されています</translation>
    </message>
    <message>
        <source>runs from an executable that has been deleted (%1) — malware deletes its file to hide; a software update that replaced the file does this too</source>
        <translation>削除された実行ファイル (%1) から実行されています。マルウェアは身を隠すために自分のファイルを削除します。ファイルを置き換えたソフトウェア更新でも同じ状態になります</translation>
    </message>
    <message>
        <source>runs from %1, in %2, a directory anyone can write to</source>
        <translation>誰でも書き込めるフォルダー %2 にある %1 から実行されています</translation>
    </message>
    <message>
        <source>Command line: %1</source>
        <translation>コマンド ライン: %1</translation>
    </message>
    <message>
        <source>Parent process: PID %1.</source>
        <translation>親プロセス: PID %1。</translation>
    </message>
    <message>
        <source>It %1.</source>
        <translation>このプロセスは、%1。</translation>
    </message>
    <message>
        <source>This machine turned away %1 probes of closed ports in %2 (TCP resets %3/s, UDP datagrams to closed ports %4/s, ICMP port unreachables %5/s) — typical of a port scan against it</source>
        <translation>このコンピューターは %2の間に、閉じたポートへのアクセス %1 件を拒否しました (TCP リセット 毎秒 %3、閉じたポートへの UDP 毎秒 %4、ICMP ポート到達不能 毎秒 %5)。ポートスキャンを受けたときの典型的な状態です</translation>
    </message>
    <message>
        <source>These counters are kept by the kernel for the whole network namespace; they say that probes arrived, not from where.</source>
        <translation>これらのカウンターはカーネルがネットワーク名前空間全体で数えているものです。アクセスがあったことは分かりますが、送信元は分かりません。</translation>
    </message>
    <message>
        <source>Unless %1 is a scanner you run on purpose, disconnect this machine from the network, end the process and check the machine with an up-to-date malware scanner.</source>
        <translation>%1 が意図して実行しているスキャナーでなければ、このコンピューターをネットワークから切り離し、プロセスを終了して、最新のマルウェア対策ソフトでコンピューターを検査してください。</translation>
    </message>
    <message>
        <source>If you do not know why %1 keeps this connection open, look the address up (whois, reputation services); a program you do not recognise that beacons like this should be ended and the machine scanned.</source>
        <translation>%1 がこの接続を開いたままにしている理由が分からない場合は、接続先のアドレスを調べてください (whois、評価サービス)。心当たりのないプログラムがこのような通信をしているなら、終了してコンピューターを検査してください。</translation>
    </message>
    <message>
        <source>If you did not expect %1 to accept connections, stop it or block port %2 in the firewall; a service that only this machine uses should listen on 127.0.0.1.</source>
        <translation>%1 が接続を受け付けるはずでなければ、停止するか、ファイアウォールでポート %2 をブロックしてください。このコンピューターだけで使うサービスは 127.0.0.1 で待ち受けるようにしてください。</translation>
    </message>
    <message>
        <source>If %1 should not open this many connections, end it: a worm or a misbehaving program can exhaust the router&apos;s NAT table and cut the whole network off.</source>
        <translation>%1 がこれほど多くの接続を開くはずがなければ、終了してください。ワームや異常なプログラムはルーターの NAT テーブルを使い切り、ネットワーク全体を不通にすることがあります。</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 は、%2</translation>
    </message>
    <message>
        <source>Check the program file (its path, hash and signature) and the parent that started it; if it is not a program you installed, end it and scan the machine.</source>
        <translation>プログラム ファイル (パス、ハッシュ、署名) と、それを起動した親プロセスを確認してください。インストールした覚えのないプログラムなら、終了してコンピューターを検査してください。</translation>
    </message>
    <message>
        <source>Find the scanning address with a packet capture or the firewall log and block it; make sure only the services you need are listening.</source>
        <translation>パケット キャプチャかファイアウォールのログでスキャン元のアドレスを特定し、ブロックしてください。必要なサービスだけが待ち受けていることを確認してください。</translation>
    </message>
    <message>
        <source>%1 connection attempts are waiting for an answer (SYN_SENT).</source>
        <translation>%1 件の接続試行が応答を待っています (SYN_SENT)。</translation>
    </message>
    <message>
        <source>This machine turned away %1 probes of closed ports in %2 (TCP resets %3/s, UDP datagrams to closed ports %4/s, ICMP port unreachables %5/s) — typical of a port scan against it, most of them from %6</source>
        <translation>このコンピューターは %2の間に、閉じたポートへのアクセス %1 件を拒否しました (TCP リセット 毎秒 %3、閉じたポートへの UDP 毎秒 %4、ICMP ポート到達不能 毎秒 %5)。ポートスキャンを受けたときの典型的な状態で、その多くは %6 からです</translation>
    </message>
    <message>
        <source>%1 closed TCP port</source>
        <translation>閉じた TCP ポート %1 個</translation>
    </message>
    <message>
        <source>%1 closed UDP port</source>
        <translation>閉じた UDP ポート %1 個</translation>
    </message>
    <message>
        <source>%1 closed TCP ports</source>
        <translation>閉じた TCP ポート %1 個</translation>
    </message>
    <message>
        <source>%1 closed UDP ports</source>
        <translation>閉じた UDP ポート %1 個</translation>
    </message>
    <message>
        <source>%1 probed %2 (%3 packet turned away).</source>
        <translation>%1 が %2を調べました (拒否したパケット %3 個)。</translation>
    </message>
    <message>
        <source>%1 probed %2 (%3 packets turned away).</source>
        <translation>%1 が %2を調べました (拒否したパケット %3 個)。</translation>
    </message>
    <message>
        <source>And %1 more sources.</source>
        <translation>ほかに %1 か所の送信元があります。</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>High</source>
        <translation>高</translation>
    </message>
    <message>
        <source>Medium</source>
        <translation>中</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>低</translation>
    </message>
    <message>
        <source>Info</source>
        <translation>情報</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>不明</translation>
    </message>
    <message>
        <source>%1 (PID %2)</source>
        <translation>%1 (PID %2)</translation>
    </message>
    <message>
        <source>whole host</source>
        <translation>ホスト全体</translation>
    </message>
    <message>
        <source>%1 %2 finding %3 about %4</source>
        <translation>%1 重大度「%2」の検出結果 %3 (対象: %4)</translation>
    </message>
    <message>
        <source>Path: %1</source>
        <translation>パス: %1</translation>
    </message>
    <message>
        <source>Evidence:</source>
        <translation>根拠:</translation>
    </message>
    <message>
        <source>- %1 %2 -&gt; %3 %4%5</source>
        <translation>- %1 %2 -&gt; %3 %4%5</translation>
    </message>
    <message>
        <source> (closed)</source>
        <translation> (切断済み)</translation>
    </message>
    <message>
        <source>- … %1 sockets in all</source>
        <translation>- … 合計 %1 個のソケット</translation>
    </message>
    <message>
        <source>- %1 = %2, +%3 over the window</source>
        <translation>- %1 = %2 (期間中に +%3)</translation>
    </message>
    <message>
        <source>What to do: %1</source>
        <translation>対処: %1</translation>
    </message>
    <message>
        <source>%1 +%2</source>
        <translation>%1 +%2</translation>
    </message>
    <message>
        <source>%1 severity: %2</source>
        <translation>重大度「%1」: %2</translation>
    </message>
    <message numerus="yes">
        <source>%n more finding(s) on this row; see the Findings tab.</source>
        <translation>
            <numerusform>この行にはほかに %n 件の検出結果があります。[検出結果] タブを参照してください。</numerusform>
        </translation>
    </message>
    <message>
        <source>host</source>
        <translation>ホスト</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>%1 ×%2 (%3)</source>
        <translation>%1 ×%2 (%3)</translation>
    </message>
    <message>
        <source>process gone at %1</source>
        <translation>%1 にプロセス終了</translation>
    </message>
    <message>
        <source>last seen at %1</source>
        <translation>%1 に最終検出</translation>
    </message>
    <message>
        <source>%1 %2: %3</source>
        <translation>%1 %2: %3</translation>
    </message>
    <message>
        <source>1 high finding</source>
        <translation>重大度「高」の検出結果 1 件</translation>
    </message>
    <message>
        <source>%1 high findings</source>
        <translation>重大度「高」の検出結果 %1 件</translation>
    </message>
    <message>
        <source>1 medium finding</source>
        <translation>重大度「中」の検出結果 1 件</translation>
    </message>
    <message>
        <source>%1 medium findings</source>
        <translation>重大度「中」の検出結果 %1 件</translation>
    </message>
    <message>
        <source>No active high or medium findings.</source>
        <translation>重大度「高」「中」の有効な検出結果はありません。</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message numerus="yes">
        <source>%n resolved (last: %1 %2, %3)</source>
        <translation>
            <numerusform>%n 件解決 (最後: %1 %2、%3)</numerusform>
        </translation>
    </message>
    <message>
        <source>Resolved: %1 %2, %3</source>
        <translation>解決: %1 %2、%3</translation>
    </message>
    <message>
        <source>unknown process of uid %1</source>
        <translation>UID %1 の不明なプロセス</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>不明</translation>
    </message>
    <message>
        <source>closed (short-lived)</source>
        <translation>切断済み (短時間の接続)</translation>
    </message>
    <message>
        <source>closed (was %1)</source>
        <translation>切断済み (以前の状態: %1)</translation>
    </message>
    <message>
        <source>(hidden)</source>
        <translation>(非表示)</translation>
    </message>
    <message>
        <source>(kernel)</source>
        <translation>(カーネル)</translation>
    </message>
    <message>
        <source>(not looked up)</source>
        <translation>(未調査)</translation>
    </message>
    <message>
        <source>(unknown)</source>
        <translation>(不明)</translation>
    </message>
    <message>
        <source> (deleted)</source>
        <translation> (削除済み)</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>パス</translation>
    </message>
    <message>
        <source>Command line</source>
        <translation>コマンド ライン</translation>
    </message>
    <message>
        <source>User</source>
        <translation>ユーザー</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>開始時刻</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>詳細</translation>
    </message>
    <message>
        <source>%1 TCP</source>
        <translation>TCP %1</translation>
    </message>
    <message>
        <source>%1 UDP</source>
        <translation>UDP %1</translation>
    </message>
    <message>
        <source>%1 closed</source>
        <translation>切断済み %1</translation>
    </message>
    <message>
        <source>No rate yet: it needs two samples.</source>
        <translation>まだ速度は出ていません。2 回分の取得が必要です。</translation>
    </message>
    <message>
        <source>Sent %1, received %2</source>
        <translation>送信 %1、受信 %2</translation>
    </message>
    <message>
        <source>New</source>
        <translation>新規</translation>
    </message>
    <message>
        <source>Changed</source>
        <translation>変化あり</translation>
    </message>
    <message>
        <source>Closed; kept visible for a few updates</source>
        <translation>切断済み。数回の更新の間は表示したままにします</translation>
    </message>
    <message>
        <source>Process</source>
        <translation>プロセス</translation>
    </message>
    <message>
        <source>PID</source>
        <translation>PID</translation>
    </message>
    <message>
        <source>Protocol</source>
        <translation>プロトコル</translation>
    </message>
    <message>
        <source>Local address</source>
        <translation>ローカル アドレス</translation>
    </message>
    <message>
        <source>Remote address</source>
        <translation>リモート アドレス</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>Scope</source>
        <translation>範囲</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>送信</translation>
    </message>
    <message>
        <source>Receive</source>
        <translation>受信</translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation>バイト数</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>経過時間</translation>
    </message>
    <message>
        <source>Connections</source>
        <translation>接続数</translation>
    </message>
    <message>
        <source>Finding</source>
        <translation>検出結果</translation>
    </message>
    <message>
        <source>+ new, ~ changed, x closed</source>
        <translation>+ 新規、~ 変化あり、x 切断済み</translation>
    </message>
    <message>
        <source>Where the remote end lives: loopback, lan, link-local, multicast, internet; for listeners, the interfaces they listen on</source>
        <translation>接続先の場所: loopback (ループバック)、lan (LAN)、link-local (リンクローカル)、multicast (マルチキャスト)、internet (インターネット)。待ち受けソケットでは待ち受けているインターフェース</translation>
    </message>
    <message>
        <source>Bytes per second sent (acknowledged by the peer)</source>
        <translation>1 秒あたりの送信バイト数 (相手が受信を確認した分)</translation>
    </message>
    <message>
        <source>Bytes per second received</source>
        <translation>1 秒あたりの受信バイト数</translation>
    </message>
    <message>
        <source>Bytes sent plus received: for a connection, over its whole life as the system counts them; for a process, while monitored</source>
        <translation>送信と受信の合計バイト数。接続ではシステムが数えた接続開始からの合計、プロセスでは監視中の合計です</translation>
    </message>
    <message>
        <source>How long the connection has been seen; for closed ones, how long it lived</source>
        <translation>接続が見えている時間。切断済みの接続では接続していた時間</translation>
    </message>
    <message>
        <source>Severity of the most severe finding on this row (⚠ high, ▲ medium, ● low, ℹ info); sorts by severity</source>
        <translation>この行で最も重大な検出結果の重大度 (⚠ 高、▲ 中、● 低、ℹ 情報)。重大度順に並べ替えます</translation>
    </message>
    <message>
        <source>Behaviour findings on this row: severity and rule (⚠ high, ▲ medium, ● low, ℹ info); sorts by severity</source>
        <translation>この行の動作に関する検出結果: 重大度とルール (⚠ 高、▲ 中、● 低、ℹ 情報)。重大度順に並べ替えます</translation>
    </message>
    <message>
        <source>Closed at %1</source>
        <translation>%1 に切断</translation>
    </message>
    <message>
        <source>First seen %1</source>
        <translation>%1 に初検出</translation>
    </message>
    <message>
        <source>Sockets without an owning process: TIME_WAIT and half-open requests belong to the kernel, and owners of other users&apos; sockets are hidden without root.</source>
        <translation>所有するプロセスのないソケットです。TIME_WAIT とハーフオープンの要求はカーネルのもので、他のユーザーのソケットの所有者は root 権限がないと表示されません。</translation>
    </message>
    <message>
        <source>TCP %1, UDP %2, listening %3, established %4, closed recently %5</source>
        <translation>TCP %1、UDP %2、待ち受け %3、確立 %4、最近切断 %5</translation>
    </message>
    <message>
        <source>(no process)</source>
        <translation>(プロセスなし)</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 時間 %2 分</translation>
    </message>
    <message>
        <source>%1 d %2 h</source>
        <translation>%1 日 %2 時間</translation>
    </message>
    <message>
        <source>, </source>
        <comment>between the items of a list</comment>
        <translation>、</translation>
    </message>
    <message>
        <source>; </source>
        <comment>between groups of a list</comment>
        <translation> / </translation>
    </message>
    <message>
        <source>Unknown host key</source>
        <translation>未確認のホスト鍵</translation>
    </message>
    <message>
        <source>Compare the fingerprint with the one the machine&apos;s administrator gives you. Trust this key?</source>
        <translation>フィンガープリントが、そのコンピューターの管理者から伝えられたものと一致するか確認してください。この鍵を信頼しますか?</translation>
    </message>
    <message>
        <source>PortScope: SSH</source>
        <translation>PortScope: SSH</translation>
    </message>
    <message>
        <source>&apos;%1&apos; must be followed by the term to exclude, e.g. -state:time_wait.</source>
        <translation>「%1」の後には除外する条件を続けてください (例: -state:time_wait)。</translation>
    </message>
    <message>
        <source>Put a space after the closing quote before the next term.</source>
        <translation>閉じる引用符と次の条件の間に空白を入れてください。</translation>
    </message>
    <message>
        <source>Put a space (next term) or a comma (another alternative) after the closing quote.</source>
        <translation>閉じる引用符の後には、空白 (次の条件) かコンマ (別の候補) を入れてください。</translation>
    </message>
    <message>
        <source>The quote opened here is never closed; add a closing &quot;.</source>
        <translation>ここで始まる引用符が閉じられていません。閉じる &quot; を追加してください。</translation>
    </message>
    <message>
        <source>Unknown field &apos;%1:&apos;. Known fields: %2. To search for text containing &apos;:&apos;, put it in quotes.</source>
        <translation>「%1:」というフィールドはありません。使えるフィールド: %2。「:」を含むテキストを検索するには、引用符で囲んでください。</translation>
    </message>
    <message>
        <source>Unknown field &apos;%1:&apos;. Did you mean %2:? Known fields: %3. To search for text containing &apos;:&apos;, put it in quotes.</source>
        <translation>「%1:」というフィールドはありません。%2: のことですか? 使えるフィールド: %3。「:」を含むテキストを検索するには、引用符で囲んでください。</translation>
    </message>
    <message>
        <source>&apos;%1:&apos; needs a value, e.g. %2.</source>
        <translation>「%1:」には値を指定してください (例: %2)。</translation>
    </message>
    <message>
        <source>&apos;%1:&apos; has an empty alternative; remove the extra comma.</source>
        <translation>「%1:」の候補に空のものがあります。余分なコンマを削除してください。</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a port (0-%2) or a range such as 135-139.</source>
        <translation>「%1」はポート番号 (0 ～ %2) でも、135-139 のような範囲でもありません。</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is out of range: a port lies within 0-%2.</source>
        <translation>「%1」は範囲外です。ポート番号は 0 ～ %2 です。</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a process id (0-%2) or a range such as 100-200.</source>
        <translation>「%1」はプロセス ID (0 ～ %2) でも、100-200 のような範囲でもありません。</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is out of range: a process id lies within 0-%2.</source>
        <translation>「%1」は範囲外です。プロセス ID は 0 ～ %2 です。</translation>
    </message>
    <message>
        <source>The range %1 is backwards; write %2-%3.</source>
        <translation>範囲 %1 は大小が逆です。%2-%3 と書いてください。</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a socket state. Use listen, established, syn_sent, syn_recv, fin_wait1, fin_wait2, time_wait, close_wait, last_ack, closing, bound, or closed for connections that have gone.</source>
        <translation>「%1」はソケットの状態ではありません。listen、established、syn_sent、syn_recv、fin_wait1、fin_wait2、time_wait、close_wait、last_ack、closing、bound のいずれかを使ってください。切断された接続は closed で指定します。</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a socket state. Did you mean %2?</source>
        <translation>「%1」はソケットの状態ではありません。%2 のことですか?</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a protocol. Use tcp, udp, tcp4, tcp6, udp4 or udp6.</source>
        <translation>「%1」はプロトコルではありません。tcp、udp、tcp4、tcp6、udp4、udp6 のいずれかを使ってください。</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a protocol. Did you mean %2?</source>
        <translation>「%1」はプロトコルではありません。%2 のことですか?</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not an address family. Use 4, 6, ipv4 or ipv6.</source>
        <translation>「%1」はアドレス ファミリーではありません。4、6、ipv4、ipv6 のいずれかを使ってください。</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a scope. Use loopback, lan, link-local, private, ula, multicast, internet or any.</source>
        <translation>「%1」は範囲 (scope:) の値として使えません。loopback、lan、link-local、private、ula、multicast、internet、any のいずれかを使ってください。</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a scope. Did you mean %2?</source>
        <translation>「%1」は範囲 (scope:) の値として使えません。%2 のことですか?</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a range of addresses: write the lower address first, both of one family, e.g. 192.168.0.1-192.168.0.100.</source>
        <translation>「%1」はアドレスの範囲として正しくありません。小さいアドレスを先に書き、両方を同じアドレス ファミリーにしてください (例: 192.168.0.1-192.168.0.100)。</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not an IP address, a network such as 10.0.0.0/8, or a range such as 192.168.0.1-192.168.0.100.</source>
        <translation>「%1」は IP アドレスでも、10.0.0.0/8 のようなネットワークでも、192.168.0.1-192.168.0.100 のような範囲でもありません。</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not an IP address, a network such as 10.0.0.0/8, or a range such as 192.168.0.1-192.168.0.100 (%2).</source>
        <translation>「%1」は IP アドレスでも、10.0.0.0/8 のようなネットワークでも、192.168.0.1-192.168.0.100 のような範囲でもありません (%2)。</translation>
    </message>
    <message>
        <source>Filter not applied, character %1: %2</source>
        <translation>フィルターを適用していません (%1 文字目): %2</translation>
    </message>
    <message>
        <source>none</source>
        <translation>なし</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>%1 (no longer running)</source>
        <translation>%1 (終了済み)</translation>
    </message>
    <message>
        <source>Parent</source>
        <translation>親プロセス</translation>
    </message>
    <message>
        <source>%1 of %2 (PID %3)</source>
        <translation>%2 (PID %3) の %1</translation>
    </message>
</context>
<context>
    <name>RowContextMenu</name>
    <message>
        <source>%1 is the unspecified address: the socket has no peer to look up.</source>
        <translation>%1 は未指定のアドレスです。このソケットには調べる相手がありません。</translation>
    </message>
    <message>
        <source>%1 is this computer (loopback): there is nothing to look up.</source>
        <translation>%1 はこのコンピューター自身 (ループバック) です。調べる必要はありません。</translation>
    </message>
    <message>
        <source>%1 is a multicast or broadcast address, not one computer.</source>
        <translation>%1 はマルチキャストまたはブロードキャストのアドレスで、特定のコンピューターを指していません。</translation>
    </message>
    <message>
        <source>%1 is in a reserved range that is never routed on the Internet.</source>
        <translation>%1 は予約済みの範囲にあり、インターネットでは使われません。</translation>
    </message>
    <message>
        <source>%1 is a local-network address: a public look-up site knows nothing about it.</source>
        <translation>%1 はローカル ネットワークのアドレスです。公開されている調査サイトには情報がありません。</translation>
    </message>
    <message>
        <source>The address look-up site must be an http or https address that contains {address}, such as %1.</source>
        <translation>アドレスの調査サイトには、{address} を含む http または https のアドレスを指定してください (例: %1)。</translation>
    </message>
    <message>
        <source>Address look-up site</source>
        <translation>アドレスの調査サイト</translation>
    </message>
    <message>
        <source>The web page that Look up remote address opens; {address} stands for the address.
For example %1 or https://www.whois.com/whois/{address}</source>
        <translation>[リモート アドレスを調べる] で開く Web ページです。{address} の部分がアドレスに置き換わります。
例: %1、https://www.whois.com/whois/{address}</translation>
    </message>
    <message>
        <source>No process is known for this connection; its Process cell&apos;s tooltip says why.</source>
        <translation>この接続のプロセスは不明です。理由は [プロセス] 列のツールチップに表示されます。</translation>
    </message>
    <message>
        <source>This row has no process.</source>
        <translation>この行にはプロセスがありません。</translation>
    </message>
    <message>
        <source>This is a process row; right-click one of its connections for this.</source>
        <translation>これはプロセスの行です。この操作は、そのプロセスの接続の行を右クリックして選んでください。</translation>
    </message>
    <message>
        <source>Copy &amp;remote address</source>
        <translation>リモート アドレスをコピー(&amp;R)</translation>
    </message>
    <message>
        <source>This socket has no remote address: it listens or is not connected.</source>
        <translation>このソケットにはリモート アドレスがありません。待ち受け中か、接続していません。</translation>
    </message>
    <message>
        <source>Copy %1 to the clipboard</source>
        <translation>%1 をクリップボードにコピーします</translation>
    </message>
    <message>
        <source>Copy &amp;row</source>
        <translation>行をコピー(&amp;R)</translation>
    </message>
    <message>
        <source>Copy the selected rows, with the column titles, as tab-separated text</source>
        <translation>選択した行を、列の見出しを付けてタブ区切りのテキストとしてコピーします</translation>
    </message>
    <message>
        <source>Set the filter to %1</source>
        <translation>フィルターに %1 を設定します</translation>
    </message>
    <message>
        <source>Filter to this &amp;process (PID %1)</source>
        <translation>PID %1 のプロセスで絞り込む(&amp;P)</translation>
    </message>
    <message>
        <source>Filter to this &amp;process</source>
        <translation>このプロセスで絞り込む(&amp;P)</translation>
    </message>
    <message>
        <source>Filter to process &amp;name “%1”</source>
        <translation>プロセス名「%1」で絞り込む(&amp;N)</translation>
    </message>
    <message>
        <source>Filter to &amp;local port %1</source>
        <translation>ローカル ポート %1 で絞り込む(&amp;L)</translation>
    </message>
    <message>
        <source>Filter to &amp;local port</source>
        <translation>ローカル ポートで絞り込む(&amp;L)</translation>
    </message>
    <message>
        <source>This socket is not bound to a port yet.</source>
        <translation>このソケットにはまだポートが割り当てられていません。</translation>
    </message>
    <message>
        <source>Filter to remote p&amp;ort %1</source>
        <translation>リモート ポート %1 で絞り込む(&amp;O)</translation>
    </message>
    <message>
        <source>Filter to remote p&amp;ort</source>
        <translation>リモート ポートで絞り込む(&amp;O)</translation>
    </message>
    <message>
        <source>This socket has no remote port: it listens or is not connected.</source>
        <translation>このソケットにはリモート ポートがありません。待ち受け中か、接続していません。</translation>
    </message>
    <message>
        <source>Filter to this p&amp;ort</source>
        <translation>このポートで絞り込む(&amp;O)</translation>
    </message>
    <message>
        <source>Open file &amp;location</source>
        <translation>ファイルの場所を開く(&amp;L)</translation>
    </message>
    <message>
        <source>The program&apos;s path is unknown: it may belong to another user (File › Show all processes).</source>
        <translation>プログラムのパスが不明です。他のユーザーのプロセスかもしれません ([ファイル] › [すべてのプロセスを表示])。</translation>
    </message>
    <message>
        <source>The folder %1 does not exist on this computer.</source>
        <translation>フォルダー %1 はこのコンピューターにありません。</translation>
    </message>
    <message>
        <source>Open %1 in the file manager</source>
        <translation>%1 をファイル マネージャーで開きます</translation>
    </message>
    <message>
        <source>Look &amp;up remote address…</source>
        <translation>リモート アドレスを調べる(&amp;U)…</translation>
    </message>
    <message>
        <source>Edit › Address look-up site…</source>
        <translation>[編集] › [アドレスの調査サイト…] で設定を直してください。</translation>
    </message>
    <message>
        <source>Open %1 in the web browser</source>
        <translation>%1 を Web ブラウザーで開きます</translation>
    </message>
</context>
<context>
    <name>SystemText</name>
    <message>
        <source>the %1 connection %2 -&gt; %3</source>
        <translation>%1 接続 %2 → %3</translation>
    </message>
    <message>
        <source>%1 (and %2 more problems)</source>
        <translation>%1 (ほかに %2 件の問題があります)</translation>
    </message>
    <message>
        <source>Closed %1.</source>
        <translation>%1 を切断しました。</translation>
    </message>
    <message>
        <source>Cannot close %1: closing another program&apos;s connection needs CAP_NET_ADMIN; let the administrator helper do it (&quot;Show all processes (administrator)…&quot; in the window, --elevated for portscope-cli).</source>
        <translation>%1 を切断できません: ほかのプログラムの接続を切断するには CAP_NET_ADMIN が必要です。管理者ヘルパーに切断させてください (ウィンドウでは [すべてのプロセスを表示 (管理者)]、portscope-cli では --elevated)。</translation>
    </message>
    <message>
        <source>Cannot close %1: this kernel was built without CONFIG_INET_DIAG_DESTROY, so it cannot close connections on request.</source>
        <translation>%1 を切断できません: このカーネルは CONFIG_INET_DIAG_DESTROY なしでビルドされているため、要求に応じて接続を切断できません。</translation>
    </message>
    <message>
        <source>Cannot close %1: no such connection exists any more.</source>
        <translation>%1 を切断できません: この接続はすでに存在しません。</translation>
    </message>
    <message>
        <source>Cannot close %1: it has closed, and another connection now uses the same addresses and ports; that one was left open.</source>
        <translation>%1 を切断できません: この接続はすでに閉じられ、同じアドレスとポートを別の接続が使っています。その接続は切断していません。</translation>
    </message>
    <message>
        <source>Cannot close %1: the kernel rejected the request (%2).</source>
        <translation>%1 を切断できません: カーネルが要求を拒否しました (%2)。</translation>
    </message>
    <message>
        <source>Cannot close %1: %2.</source>
        <translation>%1 を切断できません: %2。</translation>
    </message>
    <message>
        <source>Cannot close %1: its network namespace %2 no longer exists.</source>
        <translation>%1 を切断できません: この接続のネットワーク名前空間 %2 はすでに存在しません。</translation>
    </message>
    <message>
        <source>Cannot close %1: its network namespace %2 no longer exists (%3).</source>
        <translation>%1 を切断できません: この接続のネットワーク名前空間 %2 はすでに存在しません (%3)。</translation>
    </message>
    <message>
        <source>Cannot close %1: cannot enter its network namespace (%2); that needs CAP_SYS_ADMIN.</source>
        <translation>%1 を切断できません: この接続のネットワーク名前空間に入れません (%2)。CAP_SYS_ADMIN が必要です。</translation>
    </message>
    <message>
        <source>Cannot close %1: no sock_diag socket (%2).</source>
        <translation>%1 を切断できません: sock_diag ソケットを開けません (%2)。</translation>
    </message>
    <message>
        <source>Only TCP connections can be closed; %1 is a UDP socket, which has no connection to reset.</source>
        <translation>切断できるのは TCP 接続だけです。%1 は UDP ソケットで、リセットする接続がありません。</translation>
    </message>
    <message>
        <source>Cannot close %1: its state is unknown.</source>
        <translation>%1 を切断できません: 接続の状態が不明です。</translation>
    </message>
    <message>
        <source>Cannot close %1: its local and remote addresses are of different families.</source>
        <translation>%1 を切断できません: ローカル アドレスとリモート アドレスのアドレス ファミリーが異なります。</translation>
    </message>
    <message>
        <source>Cannot close %1: cannot set a receive timeout (%2).</source>
        <translation>%1 を切断できません: 受信タイムアウトを設定できません (%2)。</translation>
    </message>
    <message>
        <source>Cannot close %1: the request could not be sent (%2).</source>
        <translation>%1 を切断できません: 要求を送信できませんでした (%2)。</translation>
    </message>
    <message>
        <source>Cannot tell whether %1 was closed: the kernel did not answer.</source>
        <translation>%1 を切断できたかどうか分かりません: カーネルが応答しませんでした。</translation>
    </message>
    <message>
        <source>Cannot tell whether %1 was closed: %2.</source>
        <translation>%1 を切断できたかどうか分かりません: %2。</translation>
    </message>
    <message>
        <source>Cannot tell whether %1 was closed: the kernel&apos;s answer was not an acknowledgement.</source>
        <translation>%1 を切断できたかどうか分かりません: カーネルの応答が確認応答ではありませんでした。</translation>
    </message>
    <message>
        <source>PID %1 is not a process.</source>
        <translation>PID %1 はプロセスではありません。</translation>
    </message>
    <message>
        <source>PortScope will not stop PID 1, the init process: the system depends on it.</source>
        <translation>PID 1 (init プロセス) はシステムの動作に欠かせないため、PortScope は終了しません。</translation>
    </message>
    <message>
        <source>PortScope will not stop itself (PID %1).</source>
        <translation>PortScope は自分自身 (PID %1) を終了しません。</translation>
    </message>
    <message>
        <source>Process %1 has already exited.</source>
        <translation>プロセス %1 はすでに終了しています。</translation>
    </message>
    <message>
        <source>Stopping process %1 safely needs Linux 5.3 or newer (pidfd_open is missing).</source>
        <translation>プロセス %1 を安全に終了するには Linux 5.3 以降が必要です (pidfd_open がありません)。</translation>
    </message>
    <message>
        <source>Cannot open process %1: %2.</source>
        <translation>プロセス %1 を開けません: %2。</translation>
    </message>
    <message>
        <source>Cannot check that PID %1 is still the chosen process: %2.</source>
        <translation>PID %1 が選んだプロセスのままかどうかを確認できません: %2。</translation>
    </message>
    <message>
        <source>%1 (PID %2)</source>
        <translation>%1 (PID %2)</translation>
    </message>
    <message>
        <source>PID %1 now belongs to another process (%2); nothing was stopped.</source>
        <translation>PID %1 は別のプロセス (%2) のものになっています。何も終了していません。</translation>
    </message>
    <message>
        <source>%1 has already exited.</source>
        <translation>%1 はすでに終了しています。</translation>
    </message>
    <message>
        <source>Not allowed to stop %1: it runs as another user. Run PortScope as that user or as root.</source>
        <translation>%1 を終了する権限がありません: 別のユーザーとして動いています。PortScope をそのユーザーか root として実行してください。</translation>
    </message>
    <message>
        <source>Cannot send SIGTERM to %1: %2.</source>
        <translation>%1 に SIGTERM を送れません: %2。</translation>
    </message>
    <message>
        <source>Stopped %1.</source>
        <translation>%1 を終了しました。</translation>
    </message>
    <message>
        <source>Asked %1 to exit (SIGTERM); did not wait for it.</source>
        <translation>%1 に終了を要求しました (SIGTERM)。終了は待っていません。</translation>
    </message>
    <message>
        <source>%1 ignored SIGTERM, and SIGKILL failed: %2.</source>
        <translation>%1 は SIGTERM に応じず、SIGKILL も失敗しました: %2。</translation>
    </message>
    <message>
        <source>Stopped %1 with SIGKILL: it did not exit within %2 ms of SIGTERM.</source>
        <translation>%1 を SIGKILL で強制終了しました: SIGTERM から %2 ミリ秒以内に終了しなかったためです。</translation>
    </message>
    <message>
        <source>%1 had not exited %2 ms after SIGTERM and SIGKILL.</source>
        <translation>%1 は SIGTERM と SIGKILL の %2 ミリ秒後も終了していませんでした。</translation>
    </message>
    <message>
        <source>Netlink socket diagnostics are unavailable (%1); reading /proc/net instead, so byte counters and rates are missing.</source>
        <translation>Netlink のソケット診断を使えません (%1)。代わりに /proc/net を読んでいるため、バイト数と通信速度は表示されません。</translation>
    </message>
    <message>
        <source>Connections that open and close between two polls may be missed: the kernel&apos;s close events are unavailable (%1).</source>
        <translation>カーネルの切断イベントを使えないため (%1)、2 回の読み取りの間に開いて閉じた接続を見落とす可能性があります。</translation>
    </message>
    <message>
        <source>Host counters (/proc/net/snmp) cannot be read.</source>
        <translation>ホストのカウンター (/proc/net/snmp) を読み取れません。</translation>
    </message>
    <message>
        <source>Part of the socket list is missing: %1</source>
        <translation>ソケット一覧の一部が欠けています: %1</translation>
    </message>
    <message>
        <source>The netlink dump failed (%1); reading /proc/net instead for this poll.</source>
        <translation>Netlink によるソケット一覧の取得に失敗しました (%1)。今回の読み取りでは代わりに /proc/net を読んでいます。</translation>
    </message>
    <message>
        <source>Some of /proc/net could not be read: %1</source>
        <translation>/proc/net の一部を読み取れませんでした: %1</translation>
    </message>
    <message>
        <source>Reading the kernel&apos;s close events failed (%1).</source>
        <translation>カーネルの切断イベントを読み取れませんでした (%1)。</translation>
    </message>
    <message>
        <source>Polling only, without the eBPF sensor: %1. A connection refused between two polls shows no process, and UDP shows no byte counts.</source>
        <translation>eBPF センサーを使わず、定期読み取りだけで動いています: %1。2 回の読み取りの間に拒否された接続にはプロセスが表示されず、UDP のバイト数も表示されません。</translation>
    </message>
    <message>
        <source>The eBPF sensor could not count every probe of a closed port (%1 missed); the port counts of the sources named by inbound-scan are lower bounds.</source>
        <translation>eBPF センサーは閉じたポートへのアクセスをすべては数えられませんでした (%1 件の取りこぼし)。inbound-scan が示す送信元のポート数は実際より少ない可能性があります。</translation>
    </message>
    <message>
        <source>The eBPF sensor&apos;s event buffer overflowed and some connection events were lost; PortScope re-read every socket and process to catch up.</source>
        <translation>eBPF センサーのイベント バッファーがあふれ、接続イベントの一部を取りこぼしました。PortScope はすべてのソケットとプロセスを読み直して追いつきました。</translation>
    </message>
    <message>
        <source>Reading the eBPF sensor&apos;s events failed (%1).</source>
        <translation>eBPF センサーのイベントを読み取れませんでした (%1)。</translation>
    </message>
    <message>
        <source>Sockets in %1 other network namespace(s) (containers) are not shown: %2. Run as root to see them.</source>
        <translation>ほかの %1 個のネットワーク名前空間 (コンテナー) のソケットは表示されていません: %2。表示するには root として実行してください。</translation>
    </message>
    <message>
        <source>Sockets in %1 other network namespace(s) (containers) may be missing: the dump of namespace %2 failed (%3).</source>
        <translation>ほかの %1 個のネットワーク名前空間 (コンテナー) のソケットが欠けている可能性があります: 名前空間 %2 のソケット一覧を取得できませんでした (%3)。</translation>
    </message>
    <message>
        <source>The owner of 1 socket is hidden: this system does not let PortScope read some processes&apos; /proc/PID/fd, even as root (CAP_DAC_READ_SEARCH and CAP_SYS_PTRACE are needed).</source>
        <translation>1 個のソケットの所有者が表示されていません: このシステムでは、root として実行していても PortScope は一部のプロセスの /proc/PID/fd を読み取れません (CAP_DAC_READ_SEARCH と CAP_SYS_PTRACE が必要です)。</translation>
    </message>
    <message>
        <source>Owners of %1 sockets are hidden: this system does not let PortScope read some processes&apos; /proc/PID/fd, even as root (CAP_DAC_READ_SEARCH and CAP_SYS_PTRACE are needed).</source>
        <translation>%1 個のソケットの所有者が表示されていません: このシステムでは、root として実行していても PortScope は一部のプロセスの /proc/PID/fd を読み取れません (CAP_DAC_READ_SEARCH と CAP_SYS_PTRACE が必要です)。</translation>
    </message>
    <message>
        <source>The owner of 1 socket is hidden: reading other users&apos; /proc/PID/fd needs root (CAP_DAC_READ_SEARCH and CAP_SYS_PTRACE).</source>
        <translation>1 個のソケットの所有者が表示されていません: 他のユーザーの /proc/PID/fd を読み取るには root 権限 (CAP_DAC_READ_SEARCH と CAP_SYS_PTRACE) が必要です。</translation>
    </message>
    <message>
        <source>Owners of %1 sockets are hidden: reading other users&apos; /proc/PID/fd needs root (CAP_DAC_READ_SEARCH and CAP_SYS_PTRACE).</source>
        <translation>%1 個のソケットの所有者が表示されていません: 他のユーザーの /proc/PID/fd を読み取るには root 権限 (CAP_DAC_READ_SEARCH と CAP_SYS_PTRACE) が必要です。</translation>
    </message>
    <message>
        <source>PortScope will not stop PID %1 (%2): it is part of Windows itself.</source>
        <translation>PID %1 (%2) は Windows 自体の一部のため、PortScope は終了しません。</translation>
    </message>
    <message>
        <source>Not allowed to stop process %1: it belongs to another user or is protected. Run PortScope as administrator (&quot;Restart as administrator&quot;).</source>
        <translation>プロセス %1 を終了する権限がありません: 別のユーザーのプロセスか、保護されたプロセスです。PortScope を管理者として実行してください ([管理者として再起動])。</translation>
    </message>
    <message>
        <source>Cannot stop %1: its start time was unknown when it was chosen, so PortScope cannot prove the PID still belongs to it.</source>
        <translation>%1 を終了できません: 選んだときに開始時刻が分からなかったため、この PID がまだ同じプロセスのものかどうかを PortScope は確認できません。</translation>
    </message>
    <message>
        <source>PortScope will not stop %1: Windows marks it critical, and ending it stops the whole system.</source>
        <translation>%1 は Windows が重要なプロセスとしているため、PortScope は終了しません。終了するとシステム全体が停止します。</translation>
    </message>
    <message>
        <source>Not allowed to stop %1: Windows denied access. Run PortScope as administrator.</source>
        <translation>%1 を終了する権限がありません: Windows がアクセスを拒否しました。PortScope を管理者として実行してください。</translation>
    </message>
    <message>
        <source>Cannot stop %1: %2.</source>
        <translation>%1 を終了できません: %2。</translation>
    </message>
    <message>
        <source>Asked Windows to stop %1, but it had not exited after %2 ms.</source>
        <translation>Windows に %1 の終了を要求しましたが、%2 ミリ秒たっても終了していませんでした。</translation>
    </message>
    <message>
        <source>Cannot close %1: Windows can close only IPv4 connections (SetTcpEntry has no IPv6 form).</source>
        <translation>%1 を切断できません: Windows で切断できるのは IPv4 の接続だけです (SetTcpEntry には IPv6 版がありません)。</translation>
    </message>
    <message>
        <source>Cannot close %1: it is not a connection (%2).</source>
        <translation>%1 を切断できません: 接続ではありません (%2)。</translation>
    </message>
    <message>
        <source>Cannot close %1: closing a connection needs administrator rights on Windows. Run PortScope as administrator (&quot;Restart as administrator&quot;).</source>
        <translation>%1 を切断できません: Windows で接続を切断するには管理者権限が必要です。PortScope を管理者として実行してください ([管理者として再起動])。</translation>
    </message>
    <message>
        <source>Windows accepted the request to close %1, but the connection list cannot be read to confirm it: %2.</source>
        <translation>Windows は %1 の切断要求を受け付けましたが、接続一覧を読み取れないため切断を確認できません: %2。</translation>
    </message>
    <message>
        <source>Windows reported %1 as closed, but it is still open (Wine accepts this request without acting on it).</source>
        <translation>Windows は %1 を切断したと報告しましたが、接続はまだ開いています (Wine はこの要求を受け付けるだけで実行しません)。</translation>
    </message>
    <message>
        <source>Windows reported %1 as closed, but it is still open.</source>
        <translation>Windows は %1 を切断したと報告しましたが、接続はまだ開いています。</translation>
    </message>
    <message>
        <source>this build of PortScope has no eBPF sensor (it was built without clang, bpftool, libbpf or the kernel&apos;s BTF)</source>
        <translation>この PortScope は eBPF センサーなしでビルドされています (clang、bpftool、libbpf またはカーネルの BTF がない環境でビルドされました)</translation>
    </message>
    <message>
        <source>the kernel has no BTF type information (/sys/kernel/btf/vmlinux is missing; it needs CONFIG_DEBUG_INFO_BTF)</source>
        <translation>カーネルに BTF 型情報がありません (/sys/kernel/btf/vmlinux がありません。CONFIG_DEBUG_INFO_BTF が必要です)</translation>
    </message>
    <message>
        <source>the kernel is in lockdown mode, which forbids loading eBPF programs</source>
        <translation>カーネルがロックダウン モードで、eBPF プログラムの読み込みが禁止されています</translation>
    </message>
    <message>
        <source>loading eBPF programs needs root (CAP_BPF and CAP_PERFMON); the administrator helper has them</source>
        <translation>eBPF プログラムの読み込みには root 権限 (CAP_BPF と CAP_PERFMON) が必要です。管理者用ヘルパーはこの権限を持っています</translation>
    </message>
    <message>
        <source>the kernel refused to load eBPF programs (permission denied), although this is root: a security policy or a container may forbid them</source>
        <translation>root として実行していますが、カーネルが eBPF プログラムの読み込みを拒否しました (アクセス拒否)。セキュリティ ポリシーかコンテナーが禁止している可能性があります</translation>
    </message>
    <message>
        <source>the kernel refused the eBPF programs (%1): %2</source>
        <translation>カーネルが eBPF プログラムを拒否しました (%1): %2</translation>
    </message>
    <message>
        <source>the kernel refused the eBPF programs (%1)</source>
        <translation>カーネルが eBPF プログラムを拒否しました (%1)</translation>
    </message>
    <message>
        <source>the kernel has no inet_sock_set_state tracepoint for BTF programs</source>
        <translation>カーネルに BTF プログラム用の inet_sock_set_state トレースポイントがありません</translation>
    </message>
    <message>
        <source>the eBPF event buffer cannot have %1 bytes (it takes a power of two of at least one page)</source>
        <translation>eBPF のイベント バッファーを %1 バイトにはできません (1 ページ以上の 2 のべき乗にする必要があります)</translation>
    </message>
    <message>
        <source>the kernel would not attach the eBPF programs to their tracepoints (%1)</source>
        <translation>カーネルが eBPF プログラムをトレースポイントに接続しませんでした (%1)</translation>
    </message>
    <message>
        <source>the eBPF ring buffer cannot be read (%1)</source>
        <translation>eBPF のリング バッファーを読み取れません (%1)</translation>
    </message>
    <message>
        <source>UDP byte counts need the sock_send_length tracepoint of kernel 6.3 or later; UDP connections show no bytes or rates.</source>
        <translation>UDP のバイト数を数えるには、カーネル 6.3 以降の sock_send_length トレースポイントが必要です。UDP 接続にはバイト数も通信速度も表示されません。</translation>
    </message>
    <message>
        <source>Naming the sources of port scans needs the tcp_send_reset and kfree_skb (with drop reasons, kernel 5.17) tracepoints; inbound-scan cannot say who scans.</source>
        <translation>ポート スキャンの送信元を特定するには、tcp_send_reset と kfree_skb (破棄理由付き、カーネル 5.17) のトレースポイントが必要です。inbound-scan はスキャンしている相手を示せません。</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1%2</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>portscope: refusing to start: %1. Any user who can run this program could use these privileges through it. Remove them from the program file (for example sudo setcap -r &quot;$(command -v portscope)&quot;) and use &quot;Show all processes (administrator)…&quot; instead, which starts portscope-helper through pkexec after asking for authorization.
</source>
        <translation>portscope: 起動を中止しました: %1。このプログラムを実行できるユーザーなら誰でも、この権限を使えてしまいます。プログラム ファイルから権限を外し (例: sudo setcap -r &quot;$(command -v portscope)&quot;)、代わりに「すべてのプロセスを表示 (管理者)…」を使ってください。認証のあと、pkexec で portscope-helper を起動します。
</translation>
    </message>
    <message>
        <source>Processes, their connections and their traffic.</source>
        <translation>プロセスとその接続、通信量を表示します。</translation>
    </message>
    <message>
        <source>A recorded session to play instead of monitoring this computer.</source>
        <translation>このコンピューターを監視する代わりに再生する、記録したセッション。</translation>
    </message>
    <message>
        <source>Show another machine, reached over SSH.</source>
        <translation>SSH で接続した別のコンピューターを表示します。</translation>
    </message>
    <message>
        <source>Pass -F FILE to ssh.</source>
        <translation>ssh に -F FILE を渡します。</translation>
    </message>
    <message>
        <source>Pass -o KEY=VALUE to ssh (repeatable).</source>
        <translation>ssh に -o KEY=VALUE を渡します (複数回指定できます)。</translation>
    </message>
    <message>
        <source>The path of portscope-helper on the remote machine.</source>
        <translation>リモート コンピューター上の portscope-helper のパス。</translation>
    </message>
    <message>
        <source>Start the remote helper through sudo -n.</source>
        <translation>リモート コンピューターのヘルパーを sudo -n で起動します。</translation>
    </message>
</context>
<context>
    <name>portscope::gui::CaptureController</name>
    <message>
        <source>A capture is already running; stop it first.</source>
        <translation>キャプチャはすでに実行中です。先に停止してください。</translation>
    </message>
    <message>
        <source>Capturing packets needs administrator rights. Choose File › Show all processes (administrator) first, then capture again.</source>
        <translation>パケット キャプチャには管理者権限が必要です。先に [ファイル] › [すべてのプロセスを表示 (管理者)] を選んでから、もう一度キャプチャしてください。</translation>
    </message>
</context>
<context>
    <name>portscope::gui::CaptureDialog</name>
    <message>
        <source>Capture traffic</source>
        <translation>通信のキャプチャ</translation>
    </message>
    <message>
        <source>Capture:</source>
        <translation>キャプチャ対象:</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>参照…</translation>
    </message>
    <message>
        <source>File:</source>
        <translation>ファイル:</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>until stopped</source>
        <translation>停止するまで</translation>
    </message>
    <message>
        <source>Duration:</source>
        <translation>時間:</translation>
    </message>
    <message>
        <source> MB</source>
        <translation> MB</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>制限なし</translation>
    </message>
    <message>
        <source>Size limit:</source>
        <translation>サイズの上限:</translation>
    </message>
    <message>
        <source>Each packet&apos;s comment names its process; Wireshark shows it as frame.comment. Packets can hold passwords and other secrets: the file is readable by you only.</source>
        <translation>各パケットのコメントにはそのプロセスが記録され、Wireshark では frame.comment として表示されます。パケットにはパスワードなどの機密情報が含まれることがあるため、ファイルはあなただけが読めるように保存されます。</translation>
    </message>
    <message>
        <source>Start capture</source>
        <translation>キャプチャを開始</translation>
    </message>
    <message>
        <source>Capture to</source>
        <translation>キャプチャの保存先</translation>
    </message>
    <message>
        <source>pcapng capture (*.pcapng);;All files (*)</source>
        <translation>pcapng キャプチャ (*.pcapng);;すべてのファイル (*)</translation>
    </message>
</context>
<context>
    <name>portscope::gui::CaptureStatus</name>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Show in folder</source>
        <translation>フォルダーで表示</translation>
    </message>
    <message>
        <source>Open in Wireshark</source>
        <translation>Wireshark で開く</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>閉じる</translation>
    </message>
    <message>
        <source>Capturing: %1 packets, %2, %3 dropped</source>
        <translation>キャプチャ中: %1 パケット、%2、取りこぼし %3</translation>
    </message>
    <message>
        <source>Capture stopped by an error; the %1 packets before it are kept: %2</source>
        <translation>エラーでキャプチャが止まりました。それまでの %1 パケットは保存されています: %2</translation>
    </message>
    <message>
        <source>Capture saved: %1 packets, %2 dropped, in %3</source>
        <translation>保存しました: %1 パケット、取りこぼし %2、%3</translation>
    </message>
    <message>
        <source>Each packet is taken as the process&apos;s sockets send or receive it, and names its socket&apos;s process.</source>
        <translation>各パケットはプロセスのソケットが送受信した時点で取得され、そのソケットのプロセス名が記録されます。</translation>
    </message>
    <message>
        <source>Packets are taken from the network interfaces and named by their addresses and ports.</source>
        <translation>パケットはネットワークインターフェイスから取得され、アドレスとポートからプロセスを特定します。</translation>
    </message>
    <message>
        <source>Taking them by socket was not possible: %1</source>
        <translation>ソケットごとの取得はできませんでした: %1</translation>
    </message>
</context>
<context>
    <name>portscope::gui::ConnectionFilterProxy</name>
    <message>
        <source>%L1 of %L2</source>
        <translation>%L1 / %L2</translation>
    </message>
    <message>
        <source>The filter shows %L1 of this process&apos;s %L2 connections.
All of them: %3</source>
        <translation>フィルターにより、このプロセスの接続 %L2 件のうち %L1 件を表示しています。
すべての接続: %3</translation>
    </message>
</context>
<context>
    <name>portscope::gui::ElevationController</name>
    <message>
        <source>Restart as &amp;administrator…</source>
        <translation>管理者として再起動(&amp;A)…</translation>
    </message>
    <message>
        <source>Waiting for authorization…</source>
        <translation>認証を待っています…</translation>
    </message>
    <message>
        <source>Showing all processes (administrator)</source>
        <translation>すべてのプロセスを表示中 (管理者)</translation>
    </message>
    <message>
        <source>Show all processes (&amp;administrator)…</source>
        <translation>すべてのプロセスを表示 (管理者)(&amp;A)…</translation>
    </message>
    <message>
        <source>All processes (admin)</source>
        <translation>すべてのプロセス (管理者)</translation>
    </message>
    <message>
        <source>All processes (admin)…</source>
        <translation>すべてのプロセス (管理者)…</translation>
    </message>
    <message>
        <source>Start PortScope again with administrator rights (asks through the UAC prompt): traffic counters and every process&apos;s details</source>
        <translation>PortScope を管理者権限で起動し直します (UAC の確認が表示されます)。通信量のカウンターとすべてのプロセスの詳細が表示されます</translation>
    </message>
    <message>
        <source>Start a small privileged helper (asks for authorization) to see the owners of every socket; the window keeps running as you</source>
        <translation>特権を持つ小さなヘルパーを起動して (認証が必要です)、すべてのソケットの所有者を表示します。このウィンドウはあなたの権限のまま動作します</translation>
    </message>
    <message>
        <source>%1 because PortScope runs without privileges. &lt;b&gt;Show all processes (administrator)…&lt;/b&gt; starts a small privileged helper once you authorize it; this window keeps running as you.</source>
        <translation>PortScope は特権なしで動作しているため、%1。&lt;b&gt;すべてのプロセスを表示 (管理者)…&lt;/b&gt; を選ぶと、認証のあと特権を持つ小さなヘルパーが起動します。このウィンドウはあなたの権限のまま動作します。</translation>
    </message>
    <message>
        <source>%1 because PortScope runs without administrator rights. &lt;b&gt;Restart as administrator&lt;/b&gt; to see them.</source>
        <translation>PortScope は管理者権限なしで動作しているため、%1。表示するには &lt;b&gt;管理者として再起動&lt;/b&gt; してください。</translation>
    </message>
    <message>
        <source>%1 because PortScope runs without privileges. To see every owner, start it elevated, e.g. &lt;code&gt;sudo -E %2&lt;/code&gt;.</source>
        <translation>PortScope は特権なしで動作しているため、%1。すべての所有者を表示するには、管理者権限で起動してください (例: &lt;code&gt;sudo -E %2&lt;/code&gt;)。</translation>
    </message>
    <message>
        <source>The administrator helper could not be started.</source>
        <translation>管理者ヘルパーを起動できませんでした。</translation>
    </message>
    <message>
        <source>The administrator helper could not be started: %1</source>
        <translation>管理者ヘルパーを起動できませんでした: %1</translation>
    </message>
</context>
<context>
    <name>portscope::gui::FindingNotifier</name>
    <message>
        <source>%1 %2: %3</source>
        <translation>%1 %2: %3</translation>
    </message>
    <message>
        <source>%1 (PID %2)</source>
        <translation>%1 (PID %2)</translation>
    </message>
    <message>
        <source>host</source>
        <translation>ホスト</translation>
    </message>
    <message>
        <source>High-severity finding</source>
        <translation>重大度「高」の検出結果</translation>
    </message>
</context>
<context>
    <name>portscope::gui::FindingsPanel</name>
    <message>
        <source>Severity</source>
        <translation>重大度</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>ルール</translation>
    </message>
    <message>
        <source>Process</source>
        <translation>プロセス</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>概要</translation>
    </message>
    <message>
        <source>First seen</source>
        <translation>初検出</translation>
    </message>
    <message>
        <source>Last seen</source>
        <translation>最終検出</translation>
    </message>
    <message>
        <source>&amp;Go to process</source>
        <translation>プロセスに移動(&amp;G)</translation>
    </message>
    <message>
        <source>Select the process of this finding in the list</source>
        <translation>この検出結果のプロセスを一覧で選択します</translation>
    </message>
    <message>
        <source>&amp;Kill process…</source>
        <translation>プロセスを強制終了(&amp;K)…</translation>
    </message>
    <message>
        <source>Select the process of this finding and ask to kill it</source>
        <translation>この検出結果のプロセスを選択し、強制終了するか確認します</translation>
    </message>
    <message>
        <source>C&amp;lose connections</source>
        <translation>接続を切断(&amp;L)</translation>
    </message>
    <message>
        <source>Reset the open TCP connections this finding cites as evidence</source>
        <translation>この検出結果が根拠とする、開いている TCP 接続をリセットします</translation>
    </message>
    <message>
        <source>&amp;Copy finding</source>
        <translation>検出結果をコピー(&amp;C)</translation>
    </message>
    <message>
        <source>Copy the summary, evidence and what to do as text</source>
        <translation>概要、根拠、対処をテキストとしてコピーします</translation>
    </message>
    <message>
        <source>%1 (resolved)</source>
        <translation>%1 (解決済み)</translation>
    </message>
    <message>
        <source>No data yet.</source>
        <translation>まだデータがありません。</translation>
    </message>
    <message>
        <source>%1 (PID %2)</source>
        <translation>%1 (PID %2)</translation>
    </message>
    <message>
        <source>PID %1</source>
        <translation>PID %1</translation>
    </message>
    <message numerus="yes">
        <source>%n active finding(s) for %1 (%2 on the whole host; clear the selection to see them all).</source>
        <translation>
            <numerusform>%1 の有効な検出結果は %n 件です (ホスト全体では %2 件。すべて表示するには選択を解除してください)。</numerusform>
        </translation>
    </message>
    <message>
        <source>No active findings. The rules watch for scans, SYN floods, look-alike process names, new listeners and more.</source>
        <translation>有効な検出結果はありません。ルールはスキャン、SYN フラッド、紛らわしいプロセス名、新しい待ち受けなどを監視しています。</translation>
    </message>
    <message numerus="yes">
        <source>%n active finding(s).</source>
        <translation>
            <numerusform>有効な検出結果は %n 件です。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n ended this session, listed below as resolved.</source>
        <translation>
            <numerusform>このセッション中に %n 件が終了し、下に解決済みとして表示しています。</numerusform>
        </translation>
    </message>
    <message>
        <source>Resolved: %1</source>
        <translation>解決: %1</translation>
    </message>
    <message>
        <source>&lt;i&gt;Select a finding to see its evidence and what to do about it.&lt;/i&gt;</source>
        <translation>&lt;i&gt;検出結果を選ぶと、根拠と対処が表示されます。&lt;/i&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Resolved:&lt;/b&gt; %1. What follows is the finding as it was last.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;解決:&lt;/b&gt; %1。以下は最後の時点の検出結果です。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Process:&lt;/b&gt; %1</source>
        <translation>&lt;p&gt;&lt;b&gt;プロセス:&lt;/b&gt; %1</translation>
    </message>
    <message>
        <source>&lt;br&gt;&lt;b&gt;Seen:&lt;/b&gt; %1 to %2 (for %3)&lt;/p&gt;</source>
        <translation>&lt;br&gt;&lt;b&gt;検出期間:&lt;/b&gt; %1 ～ %2 (%3)&lt;/p&gt;</translation>
    </message>
    <message numerus="yes">
        <source>&lt;p&gt;&lt;b&gt;Evidence: %n socket(s)&lt;/b&gt;</source>
        <translation>
            <numerusform>&lt;p&gt;&lt;b&gt;根拠: ソケット %n 個&lt;/b&gt;</numerusform>
        </translation>
    </message>
    <message>
        <source> (the %1 most recent shown)</source>
        <translation> (新しいものから %1 個を表示)</translation>
    </message>
    <message>
        <source>&lt;tr&gt;&lt;th align=&quot;left&quot;&gt;Protocol&lt;/th&gt;&lt;th align=&quot;left&quot;&gt;Local&lt;/th&gt;&lt;th align=&quot;left&quot;&gt;Remote&lt;/th&gt;&lt;th align=&quot;left&quot;&gt;State&lt;/th&gt;&lt;/tr&gt;</source>
        <translation>&lt;tr&gt;&lt;th align=&quot;left&quot;&gt;プロトコル&lt;/th&gt;&lt;th align=&quot;left&quot;&gt;ローカル&lt;/th&gt;&lt;th align=&quot;left&quot;&gt;リモート&lt;/th&gt;&lt;th align=&quot;left&quot;&gt;状態&lt;/th&gt;&lt;/tr&gt;</translation>
    </message>
    <message>
        <source>closed (was %1)</source>
        <translation>切断済み (以前の状態: %1)</translation>
    </message>
    <message>
        <source>, short-lived</source>
        <translation>、短時間の接続</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Evidence: host counters&lt;/b&gt;&lt;/p&gt;&lt;ul&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;根拠: ホストのカウンター&lt;/b&gt;&lt;/p&gt;&lt;ul&gt;</translation>
    </message>
    <message>
        <source>&lt;li&gt;&lt;code&gt;%1&lt;/code&gt; = %2, +%3 over the window (%4/s)&lt;/li&gt;</source>
        <translation>&lt;li&gt;&lt;code&gt;%1&lt;/code&gt; = %2 (期間中に +%3、毎秒 %4)&lt;/li&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;What to do:&lt;/b&gt; %1&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;対処:&lt;/b&gt; %1&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>portscope::gui::LanguageMenu</name>
    <message>
        <source>&amp;Language (applies after a restart)</source>
        <translation>言語 (再起動後に反映)(&amp;L)</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>システムの設定</translation>
    </message>
</context>
<context>
    <name>portscope::gui::MainWindow</name>
    <message>
        <source>Main</source>
        <translation>メイン</translation>
    </message>
    <message>
        <source> Update every </source>
        <translation> 更新間隔 </translation>
    </message>
    <message>
        <source>Custom…</source>
        <translation>カスタム…</translation>
    </message>
    <message>
        <source>How often the system is polled; applies at once</source>
        <translation>システムから情報を取得する間隔です。すぐに反映されます</translation>
    </message>
    <message>
        <source>Filter (Ctrl+F): text  proc:  pid:  port:135-139  state:listen  proto:tcp  scope:internet  user:  host:  -term excludes</source>
        <translation>フィルター (Ctrl+F): テキスト  proc:  pid:  port:135-139  state:listen  proto:tcp  scope:internet  user:  host:  -語句 で除外</translation>
    </message>
    <message>
        <source>Type to filter; see Help › Filter syntax</source>
        <translation>入力すると絞り込みます。[ヘルプ] › [フィルターの書き方] を参照してください</translation>
    </message>
    <message>
        <source>Show all</source>
        <translation>すべて表示</translation>
    </message>
    <message>
        <source>Traffic</source>
        <translation>通信量</translation>
    </message>
    <message>
        <source>Process</source>
        <translation>プロセス</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>検出結果</translation>
    </message>
    <message>
        <source>Statistics</source>
        <translation>統計</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>一時停止中</translation>
    </message>
    <message>
        <source>Cannot start monitoring</source>
        <translation>監視を開始できません</translation>
    </message>
    <message>
        <source>Monitoring %1 could not start: %2</source>
        <translation>%1 の監視を開始できませんでした: %2</translation>
    </message>
    <message>
        <source>Replay: %1</source>
        <translation>再生: %1</translation>
    </message>
    <message>
        <source>Live — all processes</source>
        <translation>ライブ — すべてのプロセス</translation>
    </message>
    <message>
        <source>Live — your processes only</source>
        <translation>ライブ — 自分のプロセスのみ</translation>
    </message>
    <message>
        <source>Source: %1</source>
        <translation>ソース: %1</translation>
    </message>
    <message>
        <source>%1 (this computer)</source>
        <translation>%1 (このコンピューター)</translation>
    </message>
    <message>
        <source>%1 (recorded)</source>
        <translation>%1 (記録)</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>再開(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>一時停止(&amp;P)</translation>
    </message>
    <message>
        <source>Custom update interval</source>
        <translation>カスタムの更新間隔</translation>
    </message>
    <message>
        <source>Seconds between updates (0.25 to 60):</source>
        <translation>更新の間隔 (秒、0.25 ～ 60):</translation>
    </message>
    <message>
        <source>Findings (%1)</source>
        <translation>検出結果 (%1)</translation>
    </message>
    <message>
        <source>The administrator helper stopped: %1 PortScope shows what your user can see again.</source>
        <translation>管理者ヘルパーが停止しました: %1 PortScope は再び、あなたのユーザーから見える範囲を表示します。</translation>
    </message>
    <message>
        <source>Processes %1 · TCP %2 · UDP %3 · Listening %4 · Established %5</source>
        <translation>プロセス %1 · TCP %2 · UDP %3 · 待ち受け %4 · 確立 %5</translation>
    </message>
    <message>
        <source>↑ %1  ↓ %2</source>
        <translation>↑ %1  ↓ %2</translation>
    </message>
    <message>
        <source>↑ –  ↓ –</source>
        <translation>↑ –  ↓ –</translation>
    </message>
    <message>
        <source>Total send and receive rate</source>
        <translation>送信と受信の合計速度</translation>
    </message>
    <message>
        <source>Poll %1 ms</source>
        <translation>取得 %1 ms</translation>
    </message>
    <message>
        <source>How long the last poll of the system took (tracking: %1 ms)</source>
        <translation>直前のシステム情報の取得にかかった時間 (追跡処理: %1 ms)</translation>
    </message>
    <message>
        <source>The system dropped some close events; a full rescan recovered the list, but very short connections may have been missed.</source>
        <translation>システムが切断イベントの一部を取りこぼしました。全体を再スキャンして一覧を復元しましたが、ごく短い接続は見落としている可能性があります。</translation>
    </message>
    <message>
        <source>&lt;b&gt;The owner of one socket is hidden&lt;/b&gt;</source>
        <translation>&lt;b&gt;1 個のソケットの所有者が表示されていません&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;The owners of %1 sockets are hidden&lt;/b&gt;</source>
        <translation>&lt;b&gt;%1 個のソケットの所有者が表示されていません&lt;/b&gt;</translation>
    </message>
    <message>
        <source>That finding has ended; its process may be gone.</source>
        <translation>その検出結果は終了しています。プロセスがすでに終了している可能性があります。</translation>
    </message>
    <message>
        <source>That finding is about the whole host, not one process.</source>
        <translation>その検出結果は特定のプロセスではなく、ホスト全体に関するものです。</translation>
    </message>
    <message>
        <source>The filter hides that process; clear the filter to see it.</source>
        <translation>フィルターによってそのプロセスは非表示になっています。表示するにはフィルターを解除してください。</translation>
    </message>
    <message>
        <source>That process is no longer listed.</source>
        <translation>そのプロセスはもう一覧にありません。</translation>
    </message>
    <message>
        <source>That finding has ended; its connections are gone.</source>
        <translation>その検出結果は終了しています。接続はすでにありません。</translation>
    </message>
    <message>
        <source>A recorded session shows connections of the past; they cannot be closed from here.</source>
        <translation>記録したセッションに表示されるのは過去の接続です。ここから切断することはできません。</translation>
    </message>
    <message>
        <source>Closing connections is not available in this build.</source>
        <translation>このビルドでは接続を切断できません。</translation>
    </message>
    <message>
        <source>None of the connections this finding cites is open and can be reset.</source>
        <translation>この検出結果が根拠とする接続のうち、開いていてリセットできるものはありません。</translation>
    </message>
    <message>
        <source>Closed %1 of the finding&apos;s connections.</source>
        <translation>検出結果の接続を %1 件切断しました。</translation>
    </message>
    <message>
        <source>Closed %1 of %2 of the finding&apos;s connections; the others could not be reset.</source>
        <translation>検出結果の接続 %2 件のうち %1 件を切断しました。残りはリセットできませんでした。</translation>
    </message>
    <message>
        <source>%1 (PID %2)</source>
        <translation>%1 (PID %2)</translation>
    </message>
    <message>
        <source>the whole machine</source>
        <translation>コンピューター全体</translation>
    </message>
    <message>
        <source>Select an open TCP connection of this computer (not listening, not TIME_WAIT)</source>
        <translation>このコンピューターの開いている TCP 接続 (待ち受けと TIME_WAIT 以外) を選択してください</translation>
    </message>
    <message>
        <source>Change marker (+ ~ x)</source>
        <translation>変化の印 (+ ~ x)</translation>
    </message>
    <message>
        <source>Ctrl+P</source>
        <translation>Ctrl+P</translation>
    </message>
    <message>
        <source>Pause or resume updates (Space, Ctrl+P)</source>
        <translation>更新を一時停止または再開します (Space、Ctrl+P)</translation>
    </message>
    <message>
        <source>&amp;Refresh now</source>
        <translation>今すぐ更新(&amp;R)</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>更新</translation>
    </message>
    <message>
        <source>Poll at once, even while paused (F5)</source>
        <translation>一時停止中でも、すぐに情報を取得します (F5)</translation>
    </message>
    <message>
        <source>&amp;Group by process</source>
        <translation>プロセスごとにまとめる(&amp;G)</translation>
    </message>
    <message>
        <source>Ctrl+G</source>
        <translation>Ctrl+G</translation>
    </message>
    <message>
        <source>Switch between the process tree and the flat connection table (Ctrl+G)</source>
        <translation>プロセスのツリーと接続の一覧表を切り替えます (Ctrl+G)</translation>
    </message>
    <message>
        <source>&amp;Flagged processes first</source>
        <translation>検出結果のあるプロセスを先頭に(&amp;F)</translation>
    </message>
    <message>
        <source>Keep processes and connections with findings at the top, most severe first, whatever column the list is sorted by</source>
        <translation>どの列で並べ替えていても、検出結果のあるプロセスと接続を重大度の高い順に先頭に表示します</translation>
    </message>
    <message>
        <source>Resolve &amp;host names</source>
        <translation>ホスト名を調べる(&amp;H)</translation>
    </message>
    <message>
        <source>Look up the names of remote addresses (reverse DNS, cached, off the polling path)</source>
        <translation>リモート アドレスの名前を調べます (DNS の逆引き。結果はキャッシュされ、情報の取得を遅らせません)</translation>
    </message>
    <message>
        <source>&amp;Kill process…</source>
        <translation>プロセスを強制終了(&amp;K)…</translation>
    </message>
    <message>
        <source>Terminate the selected process after confirmation (Del)</source>
        <translation>確認のあと、選択したプロセスを強制終了します (Del)</translation>
    </message>
    <message>
        <source>&amp;Close connection</source>
        <translation>接続を切断(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>コピー(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>エクスポート(&amp;E)…</translation>
    </message>
    <message>
        <source>Save the rows that pass the filter as CSV, JSON or HTML (Ctrl+S)</source>
        <translation>フィルターで絞り込んだ行を CSV、JSON、HTML で保存します (Ctrl+S)</translation>
    </message>
    <message>
        <source>&amp;Open recorded session…</source>
        <translation>記録したセッションを開く(&amp;O)…</translation>
    </message>
    <message>
        <source>Monitor this &amp;computer</source>
        <translation>このコンピューターを監視(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Record session…</source>
        <translation>セッションを記録(&amp;R)…</translation>
    </message>
    <message>
        <source>Record…</source>
        <translation>記録…</translation>
    </message>
    <message>
        <source>Ctrl+R</source>
        <translation>Ctrl+R</translation>
    </message>
    <message>
        <source>Save the live session to a file that File › Open recorded session can play later (Ctrl+R)</source>
        <translation>ライブのセッションをファイルに保存します。あとで [ファイル] › [記録したセッションを開く] で再生できます (Ctrl+R)</translation>
    </message>
    <message>
        <source>&amp;Filter…</source>
        <translation>フィルター(&amp;F)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>終了(&amp;Q)</translation>
    </message>
    <message>
        <source>Filter &amp;syntax</source>
        <translation>フィルターの書き方(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;About PortScope</source>
        <translation>PortScope について(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>ファイル(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>編集(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>表示(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Expand all processes</source>
        <translation>すべてのプロセスを展開(&amp;E)</translation>
    </message>
    <message>
        <source>Ctrl+E</source>
        <translation>Ctrl+E</translation>
    </message>
    <message>
        <source>C&amp;ollapse all processes</source>
        <translation>すべてのプロセスを折りたたむ(&amp;O)</translation>
    </message>
    <message>
        <source>Ctrl+Shift+E</source>
        <translation>Ctrl+Shift+E</translation>
    </message>
    <message>
        <source>&amp;Show</source>
        <translation>表示する項目(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Process</source>
        <translation>プロセス(&amp;P)</translation>
    </message>
    <message>
        <source>Export &amp;evidence for this process…</source>
        <translation>このプロセスの証拠をエクスポート(&amp;E)…</translation>
    </message>
    <message>
        <source>Write one HTML report on the selected process: its connections, findings, traffic graph and program hash</source>
        <translation>選択したプロセスについて、接続、検出結果、通信量のグラフ、プログラムのハッシュを 1 つの HTML レポートにまとめます</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>ヘルプ(&amp;H)</translation>
    </message>
    <message>
        <source>Filter syntax</source>
        <translation>フィルターの書き方</translation>
    </message>
    <message>
        <source>&lt;p&gt;Terms are combined with AND; text is matched without regard to case.&lt;/p&gt;&lt;table cellspacing=4&gt;&lt;tr&gt;&lt;td&gt;&lt;code&gt;firefox&lt;/code&gt;&lt;/td&gt;&lt;td&gt;process name, path, addresses, host name or PID&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;code&gt;&quot;web content&quot;&lt;/code&gt;&lt;/td&gt;&lt;td&gt;quoted text keeps spaces&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;code&gt;proc:sshd&lt;/code&gt;&lt;/td&gt;&lt;td&gt;process name or path&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;code&gt;pid:1234&lt;/code&gt;&lt;/td&gt;&lt;td&gt;process id (ranges allowed)&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;code&gt;port:443&lt;/code&gt;, &lt;code&gt;port:135-139&lt;/code&gt;&lt;/td&gt;&lt;td&gt;local or remote port&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;code&gt;lport:22&lt;/code&gt;, &lt;code&gt;rport:80,443&lt;/code&gt;&lt;/td&gt;&lt;td&gt;local / remote port; commas give alternatives&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;code&gt;state:listen&lt;/code&gt;, &lt;code&gt;state:closed&lt;/code&gt;&lt;/td&gt;&lt;td&gt;socket state; closed = rows that have gone&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;code&gt;proto:tcp&lt;/code&gt;, &lt;code&gt;proto:udp6&lt;/code&gt;&lt;/td&gt;&lt;td&gt;protocol (and family)&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;code&gt;scope:internet&lt;/code&gt;&lt;/td&gt;&lt;td&gt;loopback, lan, link-local, multicast, internet, any&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;code&gt;user:root&lt;/code&gt;&lt;/td&gt;&lt;td&gt;user name or uid&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;code&gt;host:example.org&lt;/code&gt;&lt;/td&gt;&lt;td&gt;remote host name or address&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;code&gt;ip:10.0.0.0/8&lt;/code&gt;&lt;/td&gt;&lt;td&gt;local or remote address, network or range a-b&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;code&gt;-state:time_wait&lt;/code&gt;, &lt;code&gt;!proc:chrome&lt;/code&gt;&lt;/td&gt;&lt;td&gt;exclude&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;</source>
        <translation>&lt;p&gt;複数の条件はすべて満たす行 (AND) を表示します。テキストは大文字と小文字を区別せずに照合します。&lt;/p&gt;&lt;table cellspacing=4&gt;&lt;tr&gt;&lt;td&gt;&lt;code&gt;firefox&lt;/code&gt;&lt;/td&gt;&lt;td&gt;プロセス名、パス、アドレス、ホスト名、PID&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;code&gt;&quot;web content&quot;&lt;/code&gt;&lt;/td&gt;&lt;td&gt;引用符で囲むと空白を含められます&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;code&gt;proc:sshd&lt;/code&gt;&lt;/td&gt;&lt;td&gt;プロセス名またはパス&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;code&gt;pid:1234&lt;/code&gt;&lt;/td&gt;&lt;td&gt;プロセス ID (範囲も指定できます)&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;code&gt;port:443&lt;/code&gt;, &lt;code&gt;port:135-139&lt;/code&gt;&lt;/td&gt;&lt;td&gt;ローカルまたはリモートのポート&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;code&gt;lport:22&lt;/code&gt;, &lt;code&gt;rport:80,443&lt;/code&gt;&lt;/td&gt;&lt;td&gt;ローカル / リモートのポート。コンマで区切るといずれかに一致&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;code&gt;state:listen&lt;/code&gt;, &lt;code&gt;state:closed&lt;/code&gt;&lt;/td&gt;&lt;td&gt;ソケットの状態。closed は切断された行&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;code&gt;proto:tcp&lt;/code&gt;, &lt;code&gt;proto:udp6&lt;/code&gt;&lt;/td&gt;&lt;td&gt;プロトコル (とアドレス ファミリー)&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;code&gt;scope:internet&lt;/code&gt;&lt;/td&gt;&lt;td&gt;loopback、lan、link-local、multicast、internet、any&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;code&gt;user:root&lt;/code&gt;&lt;/td&gt;&lt;td&gt;ユーザー名または UID&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;code&gt;host:example.org&lt;/code&gt;&lt;/td&gt;&lt;td&gt;リモートのホスト名またはアドレス&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;code&gt;ip:10.0.0.0/8&lt;/code&gt;&lt;/td&gt;&lt;td&gt;ローカルまたはリモートのアドレス、ネットワーク、範囲 a-b&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;code&gt;-state:time_wait&lt;/code&gt;, &lt;code&gt;!proc:chrome&lt;/code&gt;&lt;/td&gt;&lt;td&gt;除外&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;</translation>
    </message>
    <message>
        <source>Cannot monitor this computer</source>
        <translation>このコンピューターを監視できません</translation>
    </message>
    <message>
        <source>The live source could not start: %1</source>
        <translation>ライブの取得を開始できませんでした: %1</translation>
    </message>
    <message>
        <source>Cannot open recorded session</source>
        <translation>記録したセッションを開けません</translation>
    </message>
    <message>
        <source>%1 (recorded session)</source>
        <translation>%1 (記録したセッション)</translation>
    </message>
    <message>
        <source>Open recorded session</source>
        <translation>記録したセッションを開く</translation>
    </message>
    <message>
        <source>PortScope recordings (*.psreplay *.replay);;All files (*)</source>
        <translation>PortScope の記録 (*.psreplay *.replay);;すべてのファイル (*)</translation>
    </message>
    <message>
        <source>&lt;p style=&apos;color:#b00020&apos;&gt;%1; &lt;b&gt;flagged: %2 (%3)&lt;/b&gt;&lt;/p&gt;</source>
        <translation>&lt;p style=&apos;color:#b00020&apos;&gt;%1。&lt;b&gt;検出: %2 (重大度「%3」)&lt;/b&gt;&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Consider exporting the evidence (File › Export…) before ending it.&lt;/p&gt;</source>
        <translation>&lt;p&gt;終了する前に証拠をエクスポートしておくことをお勧めします ([ファイル] › [エクスポート…])。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p style=&apos;color:#b00020&apos;&gt;&lt;b&gt;This looks like a system process.&lt;/b&gt; Ending it can log users out, cut network access or make the system unstable.&lt;/p&gt;</source>
        <translation>&lt;p style=&apos;color:#b00020&apos;&gt;&lt;b&gt;システム プロセスのようです。&lt;/b&gt;終了すると、ユーザーがログアウトされたり、ネットワークが使えなくなったり、システムが不安定になったりすることがあります。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;table cellspacing=3&gt;&lt;tr&gt;&lt;td&gt;Name:&lt;/td&gt;&lt;td&gt;&lt;b&gt;%1&lt;/b&gt;&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;PID:&lt;/td&gt;&lt;td&gt;%2&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;User:&lt;/td&gt;&lt;td&gt;%3&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Path:&lt;/td&gt;&lt;td&gt;%4&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Started:&lt;/td&gt;&lt;td&gt;%5&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;</source>
        <translation>&lt;table cellspacing=3&gt;&lt;tr&gt;&lt;td&gt;名前:&lt;/td&gt;&lt;td&gt;&lt;b&gt;%1&lt;/b&gt;&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;PID:&lt;/td&gt;&lt;td&gt;%2&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;ユーザー:&lt;/td&gt;&lt;td&gt;%3&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;パス:&lt;/td&gt;&lt;td&gt;%4&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;開始時刻:&lt;/td&gt;&lt;td&gt;%5&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>不明</translation>
    </message>
    <message>
        <source>Select a process (or one of its connections) to kill.</source>
        <translation>強制終了するプロセス (またはその接続) を選択してください。</translation>
    </message>
    <message>
        <source>A recorded session shows processes of the past; they cannot be killed from here.</source>
        <translation>記録したセッションに表示されるのは過去のプロセスです。ここから強制終了することはできません。</translation>
    </message>
    <message>
        <source>Kill process &lt;b&gt;%1&lt;/b&gt; (PID %2)?</source>
        <translation>プロセス &lt;b&gt;%1&lt;/b&gt; (PID %2) を強制終了しますか?</translation>
    </message>
    <message>
        <source>&lt;p&gt;Its open connection will be closed.&lt;/p&gt;</source>
        <translation>&lt;p&gt;開いている接続は切断されます。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Its %1 open connections will be closed.&lt;/p&gt;</source>
        <translation>&lt;p&gt;開いている %1 件の接続は切断されます。&lt;/p&gt;</translation>
    </message>
    <message numerus="yes">
        <source>Kill these %n processes?</source>
        <translation>
            <numerusform>これら %n 個のプロセスを強制終了しますか?</numerusform>
        </translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;%1&lt;/b&gt; (PID %2, %3)&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;%1&lt;/b&gt; (PID %2、%3)&lt;/p&gt;</translation>
    </message>
    <message>
        <source>path unknown</source>
        <translation>パス不明</translation>
    </message>
    <message>
        <source>Kill process</source>
        <translation>プロセスを強制終了</translation>
    </message>
    <message>
        <source>Kill processes</source>
        <translation>プロセスを強制終了</translation>
    </message>
    <message numerus="yes">
        <source>Kill %n processes</source>
        <translation>
            <numerusform>%n 個のプロセスを強制終了</numerusform>
        </translation>
    </message>
    <message>
        <source>Killing processes is not available in this build.</source>
        <translation>このビルドではプロセスを強制終了できません。</translation>
    </message>
    <message>
        <source>%1 (PID %2) was terminated.</source>
        <translation>%1 (PID %2) を強制終了しました。</translation>
    </message>
    <message>
        <source>%1 (PID %2) could not be terminated: %3</source>
        <translation>%1 (PID %2) を強制終了できませんでした: %3</translation>
    </message>
    <message>
        <source>Terminating %1 (PID %2)…</source>
        <translation>%1 (PID %2) を強制終了しています…</translation>
    </message>
    <message>
        <source>Select an open TCP connection to close (not a listener and not TIME_WAIT).</source>
        <translation>切断する、開いている TCP 接続 (待ち受けと TIME_WAIT 以外) を選択してください。</translation>
    </message>
    <message>
        <source>%1 → %2</source>
        <translation>%1 → %2</translation>
    </message>
    <message>
        <source>Closed the connection %1.</source>
        <translation>接続 %1 を切断しました。</translation>
    </message>
    <message>
        <source>The connection %1 could not be closed: %2</source>
        <translation>接続 %1 を切断できませんでした: %2</translation>
    </message>
    <message>
        <source>Copied one row.</source>
        <translation>1 行をコピーしました。</translation>
    </message>
    <message>
        <source>Copied %1 rows.</source>
        <translation>%1 行をコピーしました。</translation>
    </message>
    <message>
        <source>Cannot write %1: it is a symbolic link, and PortScope does not write through links.</source>
        <translation>%1 に書き込めません: シンボリック リンクです。PortScope はリンク経由では書き込みません。</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 に書き込めません: %2</translation>
    </message>
    <message>
        <source>Writing %1 failed: %2</source>
        <translation>%1 への書き込みに失敗しました: %2</translation>
    </message>
    <message>
        <source>Nothing to export yet: no update has arrived.</source>
        <translation>エクスポートできるものはまだありません。更新がまだ届いていません。</translation>
    </message>
    <message>
        <source>Select a process (or one of its connections) to export its evidence.</source>
        <translation>証拠をエクスポートするプロセス (またはその接続) を選択してください。</translation>
    </message>
    <message>
        <source>Export evidence for this process</source>
        <translation>このプロセスの証拠をエクスポート</translation>
    </message>
    <message>
        <source>HTML report (*.html)</source>
        <translation>HTML レポート (*.html)</translation>
    </message>
    <message>
        <source>Exported the evidence to %1.</source>
        <translation>証拠を %1 にエクスポートしました。</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>エクスポートに失敗しました</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <source>Export report</source>
        <translation>レポートをエクスポート</translation>
    </message>
    <message>
        <source>Exported to %1.</source>
        <translation>%1 にエクスポートしました。</translation>
    </message>
    <message>
        <source>Record session</source>
        <translation>セッションを記録</translation>
    </message>
    <message>
        <source>PortScope recordings (*.psreplay)</source>
        <translation>PortScope の記録 (*.psreplay)</translation>
    </message>
    <message>
        <source>Cannot record</source>
        <translation>記録できません</translation>
    </message>
    <message>
        <source>Only live monitoring can be recorded; a recorded session is a file already.</source>
        <translation>記録できるのはライブの監視だけです。記録したセッションはすでにファイルになっています。</translation>
    </message>
    <message>
        <source>Open it with File › Open recorded session.</source>
        <translation>[ファイル] › [記録したセッションを開く] で開いてください。</translation>
    </message>
    <message>
        <source>Stop &amp;recording</source>
        <translation>記録を停止(&amp;R)</translation>
    </message>
    <message>
        <source>Stop recording</source>
        <translation>記録を停止</translation>
    </message>
    <message>
        <source>Stop recording and close the file (Ctrl+R)</source>
        <translation>記録を停止してファイルを閉じます (Ctrl+R)</translation>
    </message>
    <message>
        <source>● Recording to %1 (%2)</source>
        <translation>● %1 に記録中 (%2)</translation>
    </message>
    <message>
        <source>1 snapshot</source>
        <translation>スナップショット 1 件</translation>
    </message>
    <message>
        <source>%1 snapshots</source>
        <translation>スナップショット %1 件</translation>
    </message>
    <message>
        <source>Recording to %1; File › Stop recording ends it</source>
        <translation>%1 に記録しています。[ファイル] › [記録を停止] で終了します</translation>
    </message>
    <message>
        <source>Waiting for authorization to start the administrator helper… Until it is ready PortScope goes on showing what your user can see.</source>
        <translation>管理者ヘルパーを起動するための認証を待っています… 準備ができるまでは、あなたのユーザーから見える範囲を表示します。</translation>
    </message>
    <message>
        <source>The administrator helper is ready; it is used when you monitor this computer again (File › Monitor this computer).</source>
        <translation>管理者ヘルパーの準備ができました。次にこのコンピューターを監視するときに使われます ([ファイル] › [このコンピューターを監視])。</translation>
    </message>
    <message>
        <source>Showing all processes: the administrator helper (PID %1) reads the system now.</source>
        <translation>すべてのプロセスを表示しています: 管理者ヘルパー (PID %1) がシステムの情報を取得しています。</translation>
    </message>
    <message>
        <source>The administrator helper started, but monitoring through it failed.</source>
        <translation>管理者ヘルパーは起動しましたが、ヘルパー経由での監視に失敗しました。</translation>
    </message>
    <message>
        <source>TCP</source>
        <translation>TCP</translation>
    </message>
    <message>
        <source>Show TCP sockets</source>
        <translation>TCP ソケットを表示します</translation>
    </message>
    <message>
        <source>UDP</source>
        <translation>UDP</translation>
    </message>
    <message>
        <source>Show UDP sockets</source>
        <translation>UDP ソケットを表示します</translation>
    </message>
    <message>
        <source>IPv4</source>
        <translation>IPv4</translation>
    </message>
    <message>
        <source>Show IPv4 sockets</source>
        <translation>IPv4 ソケットを表示します</translation>
    </message>
    <message>
        <source>IPv6</source>
        <translation>IPv6</translation>
    </message>
    <message>
        <source>Show IPv6 sockets</source>
        <translation>IPv6 ソケットを表示します</translation>
    </message>
    <message>
        <source>Listening</source>
        <translation>待ち受け</translation>
    </message>
    <message>
        <source>Show listening TCP sockets and unconnected UDP sockets</source>
        <translation>待ち受け中の TCP ソケットと、接続していない UDP ソケットを表示します</translation>
    </message>
    <message>
        <source>Loopback</source>
        <translation>ループバック</translation>
    </message>
    <message>
        <source>Show connections on 127.0.0.0/8 and ::1</source>
        <translation>127.0.0.0/8 と ::1 の接続を表示します</translation>
    </message>
    <message>
        <source>TIME_WAIT</source>
        <translation>TIME_WAIT</translation>
    </message>
    <message>
        <source>Show TCP connections in TIME_WAIT</source>
        <translation>TIME_WAIT 状態の TCP 接続を表示します</translation>
    </message>
    <message>
        <source>Show the selected process&apos;s details in a window of their own (double-click, Alt+Enter)</source>
        <translation>選択したプロセスの詳細を別のウィンドウに表示します (ダブルクリック、Alt+Enter)</translation>
    </message>
    <message>
        <source>Select a process, or a connection that has one</source>
        <translation>プロセス、またはプロセスのある接続を選択してください</translation>
    </message>
    <message>
        <source>A recorded session&apos;s processes cannot be killed</source>
        <translation>記録したセッションのプロセスは強制終了できません</translation>
    </message>
    <message>
        <source>Reset the selected TCP connection (Ctrl+T)</source>
        <translation>選択した TCP 接続をリセットして切断します (Ctrl+T)</translation>
    </message>
    <message>
        <source>A recorded session&apos;s connections cannot be closed</source>
        <translation>記録したセッションの接続は切断できません</translation>
    </message>
    <message>
        <source>Ctrl+T</source>
        <translation>Ctrl+T</translation>
    </message>
    <message>
        <source>P&amp;roperties…</source>
        <translation>プロパティ(&amp;R)…</translation>
    </message>
    <message>
        <source>Alt+Return</source>
        <translation>Alt+Return</translation>
    </message>
    <message>
        <source>Address &amp;look-up site…</source>
        <translation>アドレスの調査サイト(&amp;L)…</translation>
    </message>
    <message>
        <source>The web page that Look up remote address opens</source>
        <translation>[リモート アドレスを調べる] で開く Web ページを設定します</translation>
    </message>
    <message>
        <source>Connect to &amp;remote machine…</source>
        <translation>リモート コンピューターに接続(&amp;R)…</translation>
    </message>
    <message>
        <source>Show another machine&apos;s processes and connections, over SSH</source>
        <translation>SSH 経由で、別のコンピューターのプロセスと接続を表示します</translation>
    </message>
    <message>
        <source>Connecting over SSH…</source>
        <translation>SSH で接続しています…</translation>
    </message>
    <message>
        <source>Monitoring %1 could not start.</source>
        <translation>%1 の監視を開始できませんでした。</translation>
    </message>
    <message>
        <source>Showing %1 over SSH: portscope-helper (PID %2) reads that machine.</source>
        <translation>SSH 経由で %1 を表示しています: portscope-helper (PID %2) がそのコンピューターの情報を取得しています。</translation>
    </message>
    <message>
        <source>%1 (remote, connection lost)</source>
        <translation>%1 (リモート、接続切れ)</translation>
    </message>
    <message>
        <source>%1 (remote, over SSH)</source>
        <translation>%1 (リモート、SSH 経由)</translation>
    </message>
    <message>
        <source>Stale — connection to %1 lost</source>
        <translation>更新停止 — %1 との接続が切れました</translation>
    </message>
    <message>
        <source>Remote %1 — all processes</source>
        <translation>リモート %1 — すべてのプロセス</translation>
    </message>
    <message>
        <source>Remote %1 — that user&apos;s processes</source>
        <translation>リモート %1 — ログイン ユーザーのプロセスのみ</translation>
    </message>
    <message>
        <source>Select a process, or a connection that has one, to see its properties.</source>
        <translation>プロパティを表示するプロセス、またはプロセスのある接続を選択してください。</translation>
    </message>
    <message>
        <source>Could not open %1: no program is set up to open it.</source>
        <translation>%1 を開けませんでした: 開くためのプログラムが設定されていません。</translation>
    </message>
    <message>
        <source>&amp;Capture traffic…</source>
        <translation>通信をキャプチャ(&amp;C)…</translation>
    </message>
    <message>
        <source>Capture the packets of the selected process or connection to a pcapng file, each named after its process</source>
        <translation>選んだプロセスまたは接続のパケットを pcapng ファイルにキャプチャします。各パケットにはプロセス名が記録されます</translation>
    </message>
    <message>
        <source>Capture traffic</source>
        <translation>通信のキャプチャ</translation>
    </message>
    <message>
        <source>The connection to the remote machine is lost; reconnect first</source>
        <translation>リモート コンピューターとの接続が切れています。先に再接続してください</translation>
    </message>
</context>
<context>
    <name>portscope::gui::ProcessDetailsPanel</name>
    <message>
        <source>Compute SHA-256</source>
        <translation>SHA-256 を計算</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名前:</translation>
    </message>
    <message>
        <source>PID:</source>
        <translation>PID:</translation>
    </message>
    <message>
        <source>User:</source>
        <translation>ユーザー:</translation>
    </message>
    <message>
        <source>Path:</source>
        <translation>パス:</translation>
    </message>
    <message>
        <source>Command line:</source>
        <translation>コマンド ライン:</translation>
    </message>
    <message>
        <source>Parent:</source>
        <translation>親プロセス:</translation>
    </message>
    <message>
        <source>Started:</source>
        <translation>開始時刻:</translation>
    </message>
    <message>
        <source>SHA-256:</source>
        <translation>SHA-256:</translation>
    </message>
    <message>
        <source>Findings:</source>
        <translation>検出結果:</translation>
    </message>
    <message>
        <source>Select a process, or a connection that has one, to see its details.</source>
        <translation>プロセス、またはプロセスのある接続を選ぶと、詳細が表示されます。</translation>
    </message>
    <message>
        <source>%1 (uid %2)</source>
        <translation>%1 (UID %2)</translation>
    </message>
    <message>
        <source>%1 (deleted since it started)</source>
        <translation>%1 (起動後に削除されました)</translation>
    </message>
    <message>
        <source>%1 %2 %3: %4</source>
        <translation>%1 %2 %3: %4</translation>
    </message>
    <message>
        <source>none active</source>
        <translation>有効なものはありません</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>不明</translation>
    </message>
    <message>
        <source>Some details could not be read: %1</source>
        <translation>一部の詳細を読み取れませんでした: %1</translation>
    </message>
    <message>
        <source>computing…</source>
        <translation>計算中…</translation>
    </message>
    <message>
        <source>%1 (deleted: hashed from the running image)</source>
        <translation>%1 (削除済み: 実行中のイメージから計算)</translation>
    </message>
</context>
<context>
    <name>portscope::gui::ProcessPropertiesDialog</name>
    <message>
        <source>%1 TCP, %2 UDP: %3 listening, %4 established, %5 closed recently</source>
        <translation>TCP %1、UDP %2: 待ち受け %3、確立 %4、最近切断 %5</translation>
    </message>
    <message>
        <source>Properties of %1 (PID %2)</source>
        <translation>%1 (PID %2) のプロパティ</translation>
    </message>
    <message>
        <source>Process properties</source>
        <translation>プロセスのプロパティ</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名前:</translation>
    </message>
    <message>
        <source>PID:</source>
        <translation>PID:</translation>
    </message>
    <message>
        <source>Parent:</source>
        <translation>親プロセス:</translation>
    </message>
    <message>
        <source>%1 (uid %2)</source>
        <translation>%1 (UID %2)</translation>
    </message>
    <message>
        <source>User:</source>
        <translation>ユーザー:</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>不明</translation>
    </message>
    <message>
        <source>Started:</source>
        <translation>開始時刻:</translation>
    </message>
    <message>
        <source>%1 (deleted since it started)</source>
        <translation>%1 (起動後に削除されました)</translation>
    </message>
    <message>
        <source>Program:</source>
        <translation>プログラム:</translation>
    </message>
    <message>
        <source>Command line:</source>
        <translation>コマンド ライン:</translation>
    </message>
    <message>
        <source>not computed (Process tab › Compute SHA-256)</source>
        <translation>未計算 ([プロセス] タブの [SHA-256 を計算] で計算できます)</translation>
    </message>
    <message>
        <source>SHA-256:</source>
        <translation>SHA-256:</translation>
    </message>
    <message>
        <source>Connections:</source>
        <translation>接続:</translation>
    </message>
    <message>
        <source>%1 %2 %3: %4</source>
        <translation>%1 %2 %3: %4</translation>
    </message>
    <message>
        <source>    What to do: %1</source>
        <translation>    対処: %1</translation>
    </message>
    <message>
        <source>none active</source>
        <translation>有効なものはありません</translation>
    </message>
    <message>
        <source>Findings:</source>
        <translation>検出結果:</translation>
    </message>
    <message>
        <source>As of %1; the list goes on updating.</source>
        <translation>%1 時点の情報です。メイン ウィンドウの一覧は引き続き更新されます。</translation>
    </message>
    <message>
        <source>Some details could not be read: %1</source>
        <translation>一部の詳細を読み取れませんでした: %1</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>コピー(&amp;C)</translation>
    </message>
    <message>
        <source>Put every property on the clipboard as text</source>
        <translation>すべてのプロパティをテキストとしてクリップボードにコピーします</translation>
    </message>
</context>
<context>
    <name>portscope::gui::RecordingController</name>
    <message>
        <source>1 snapshot</source>
        <translation>スナップショット 1 件</translation>
    </message>
    <message>
        <source>%1 snapshots</source>
        <translation>スナップショット %1 件</translation>
    </message>
    <message>
        <source>Only live monitoring can be recorded; a recorded session is a file already.</source>
        <translation>記録できるのはライブの監視だけです。記録したセッションはすでにファイルになっています。</translation>
    </message>
    <message>
        <source>Recording stopped.</source>
        <translation>記録を停止しました。</translation>
    </message>
    <message>
        <source>Recording stopped because a recorded session was opened.</source>
        <translation>記録したセッションを開いたため、記録を停止しました。</translation>
    </message>
    <message>
        <source>Recording stopped because monitoring could not go on.</source>
        <translation>監視を続けられなくなったため、記録を停止しました。</translation>
    </message>
    <message>
        <source>Recording stopped because the source ended.</source>
        <translation>取得元が終了したため、記録を停止しました。</translation>
    </message>
    <message>
        <source>Recording stopped: %1.</source>
        <translation>記録を停止しました: %1。</translation>
    </message>
    <message>
        <source>%1 %2 saved to %3.</source>
        <translation>%1 %2を %3 に保存しました。</translation>
    </message>
</context>
<context>
    <name>portscope::gui::RemoteConnectDialog</name>
    <message>
        <source>Connect to remote machine</source>
        <translation>リモート コンピューターに接続</translation>
    </message>
    <message>
        <source>PortScope runs &lt;code&gt;ssh HOST portscope-helper&lt;/code&gt; and shows that machine&apos;s processes and connections. The machine needs PortScope installed and an SSH server; your ssh configuration, keys and ssh-agent are used, and passwords are asked for here.</source>
        <translation>PortScope は &lt;code&gt;ssh HOST portscope-helper&lt;/code&gt; を実行して、そのコンピューターのプロセスと接続を表示します。接続先には PortScope と SSH サーバーがインストールされている必要があります。ssh の設定、鍵、ssh-agent はそのまま使われ、パスワードが必要なときは PortScope が入力を求めます。</translation>
    </message>
    <message>
        <source>user@host:port</source>
        <translation>ユーザー名@ホスト:ポート</translation>
    </message>
    <message>
        <source>Start the helper through sudo (sudo -n, no password prompt)</source>
        <translation>sudo でヘルパーを起動する (sudo -n。パスワードは尋ねません)</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>接続</translation>
    </message>
    <message>
        <source>&amp;Machine:</source>
        <translation>コンピューター(&amp;M):</translation>
    </message>
</context>
<context>
    <name>portscope::gui::RemoteController</name>
    <message>
        <source>Reconnect</source>
        <translation>再接続</translation>
    </message>
    <message>
        <source>The connection could not be made.</source>
        <translation>接続できませんでした。</translation>
    </message>
    <message>
        <source>Stale: the connection to %1 was lost. The window shows the last data it received. %2</source>
        <translation>更新停止: %1 との接続が切れました。ウィンドウには最後に受信したデータを表示しています。%2</translation>
    </message>
</context>
<context>
    <name>portscope::gui::RowsShownLabel</name>
    <message>
        <source>Rows the filter and the Show switches let through, of all rows</source>
        <translation>フィルターと「表示:」のチェック ボックスで表示されている行数と、全体の行数</translation>
    </message>
    <message>
        <source>%L1 of %L2 processes shown</source>
        <translation>プロセス: 全 %L2 個中 %L1 個を表示</translation>
    </message>
    <message>
        <source>%L1 of %L2 connections shown</source>
        <translation>接続: 全 %L2 件中 %L1 件を表示</translation>
    </message>
</context>
<context>
    <name>portscope::gui::SensorSetting</name>
    <message>
        <source>&amp;Sensor</source>
        <translation>センサー(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Automatic</source>
        <translation>自動(&amp;A)</translation>
    </message>
    <message>
        <source>Use the eBPF sensor where the kernel and the privileges allow it, else poll</source>
        <translation>カーネルと権限が許せば eBPF センサーを使い、使えなければ定期的に読み取ります</translation>
    </message>
    <message>
        <source>&amp;eBPF events</source>
        <translation>eBPF イベント(&amp;E)</translation>
    </message>
    <message>
        <source>Name the process behind every connect and count UDP bytes; needs the administrator helper or root</source>
        <translation>すべての接続要求の発信元プロセスを特定し、UDP のバイト数を数えます。管理者ヘルパーか root 権限が必要です</translation>
    </message>
    <message>
        <source>&amp;Polling only</source>
        <translation>定期読み取りのみ(&amp;P)</translation>
    </message>
    <message>
        <source>Read the socket tables at each refresh and load nothing into the kernel</source>
        <translation>更新のたびにソケットの一覧を読み取ります。カーネルには何も読み込みません</translation>
    </message>
    <message>
        <source>eBPF events</source>
        <translation>eBPF イベント</translation>
    </message>
    <message>
        <source>The eBPF sensor names the process behind every connect, even one refused within a millisecond, and counts UDP bytes.</source>
        <translation>eBPF センサーは、1 ミリ秒以内に拒否された接続要求も含め、すべての接続要求の発信元プロセスを特定し、UDP のバイト数を数えます。</translation>
    </message>
    <message>
        <source>Polling</source>
        <translation>定期読み取り</translation>
    </message>
    <message>
        <source>The socket tables are read at each refresh: a connection that opens and closes between two refreshes shows no process, and UDP shows no byte counts.</source>
        <translation>更新のたびにソケットの一覧を読み取ります。2 回の更新の間に開いて閉じた接続にはプロセスが表示されず、UDP のバイト数も表示されません。</translation>
    </message>
</context>
<context>
    <name>portscope::gui::ShowSwitches</name>
    <message>
        <source>Show:</source>
        <translation>表示:</translation>
    </message>
</context>
<context>
    <name>portscope::gui::StatisticsPanel</name>
    <message>
        <source>Counter</source>
        <translation>カウンター</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>値</translation>
    </message>
    <message>
        <source>Per second</source>
        <translation>毎秒</translation>
    </message>
    <message>
        <source>Cited by</source>
        <translation>根拠とする検出結果</translation>
    </message>
    <message>
        <source>No data yet.</source>
        <translation>まだデータがありません。</translation>
    </message>
    <message>
        <source>The source reports no protocol counters (netstat -s).</source>
        <translation>取得元はプロトコルのカウンター (netstat -s) を報告していません。</translation>
    </message>
    <message>
        <source>Cited by an active finding: %1</source>
        <translation>有効な検出結果の根拠です: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n counter(s); %1 behind active findings (highlighted).</source>
        <translation>
            <numerusform>カウンター %n 個。うち %1 個が有効な検出結果の根拠です (強調表示)。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n counter(s), with the rate over the last update interval.</source>
        <translation>
            <numerusform>カウンター %n 個 (直前の更新間隔での速度)。</numerusform>
        </translation>
    </message>
    <message>
        <source>, </source>
        <comment>between the items of a list</comment>
        <translation>、</translation>
    </message>
</context>
<context>
    <name>portscope::gui::TrafficChart</name>
    <message>
        <source>Send</source>
        <translation>送信</translation>
    </message>
    <message>
        <source>Receive</source>
        <translation>受信</translation>
    </message>
    <message>
        <source>whole machine</source>
        <translation>コンピューター全体</translation>
    </message>
    <message>
        <source>Traffic of %1, last 10 minutes</source>
        <translation>通信量: %1 (直近 10 分)</translation>
    </message>
    <message>
        <source>No traffic recorded for %1 yet. A process gets a history once it moves bytes while selected or busy.</source>
        <translation>%1 の通信量はまだ記録されていません。選択中または活動中のプロセスがデータを送受信すると、履歴が作られます。</translation>
    </message>
    <message>
        <source>Now: send %1, receive %2. Peak in view: %3.</source>
        <translation>現在: 送信 %1、受信 %2。表示範囲の最大: %3。</translation>
    </message>
    <message>
        <source>Loading the traffic history of %1 with the next update…</source>
        <translation>次の更新で %1 の通信量の履歴を読み込みます…</translation>
    </message>
</context>
</TS>
