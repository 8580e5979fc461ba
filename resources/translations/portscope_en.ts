<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>QObject</name>
    <message numerus="yes">
        <source>%n more finding(s) on this row; see the Findings tab.</source>
        <translation>
            <numerusform>%n more finding on this row; see the Findings tab.</numerusform>
            <numerusform>%n more findings on this row; see the Findings tab.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n resolved (last: %1 %2, %3)</source>
        <translation>
            <numerusform>%n resolved (last: %1 %2, %3)</numerusform>
            <numerusform>%n resolved (last: %1 %2, %3)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>portscope::gui::FindingsPanel</name>
    <message numerus="yes">
        <source>%n active finding(s) for %1 (%2 on the whole host; clear the selection to see them all).</source>
        <translation>
            <numerusform>%n active finding for %1 (%2 on the whole host; clear the selection to see them all).</numerusform>
            <numerusform>%n active findings for %1 (%2 on the whole host; clear the selection to see them all).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n active finding(s).</source>
        <translation>
            <numerusform>%n active finding.</numerusform>
            <numerusform>%n active findings.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n ended this session, listed below as resolved.</source>
        <translation>
            <numerusform>%n ended this session, listed below as resolved.</numerusform>
            <numerusform>%n ended this session, listed below as resolved.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>&lt;p&gt;&lt;b&gt;Evidence: %n socket(s)&lt;/b&gt;</source>
        <translation>
            <numerusform>&lt;p&gt;&lt;b&gt;Evidence: %n socket&lt;/b&gt;</numerusform>
            <numerusform>&lt;p&gt;&lt;b&gt;Evidence: %n sockets&lt;/b&gt;</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>portscope::gui::MainWindow</name>
    <message numerus="yes">
        <source>Kill these %n processes?</source>
        <translation>
            <numerusform>Kill this %n process?</numerusform>
            <numerusform>Kill these %n processes?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Kill %n processes</source>
        <translation>
            <numerusform>Kill %n process</numerusform>
            <numerusform>Kill %n processes</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>portscope::gui::StatisticsPanel</name>
    <message numerus="yes">
        <source>%n counter(s); %1 behind active findings (highlighted).</source>
        <translation>
            <numerusform>%n counter; %1 behind active findings (highlighted).</numerusform>
            <numerusform>%n counters; %1 behind active findings (highlighted).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n counter(s), with the rate over the last update interval.</source>
        <translation>
            <numerusform>%n counter, with the rate over the last update interval.</numerusform>
            <numerusform>%n counters, with the rate over the last update interval.</numerusform>
        </translation>
    </message>
</context>
</TS>
