// The shipped fallback for when the OS has no readable services database
// (a stripped container, a locked-down Windows box). It is kept in the
// /etc/services format so the one parser reads both, and a typo here shows up
// as a parse problem in the unit tests rather than as a silent gap.
//
// Written from the IANA Service Name and Transport Protocol Port Number
// Registry: well-known ports plus the registered ports people commonly meet.
// Where IANA assigns both tcp and udp, both are listed. Aliases follow the
// usual Unix conventions; a few (vnc, modbus) are there so people find the
// service under the name they know. No name/protocol pair appears twice.

export const BUILTIN_SERVICES_TEXT = `
# name            port/proto  aliases                    # comment
tcpmux            1/tcp                                  # TCP port service multiplexer
tcpmux            1/udp
echo              7/tcp
echo              7/udp
discard           9/tcp       sink null
discard           9/udp       sink null
systat            11/tcp      users                      # Active users
systat            11/udp      users
daytime           13/tcp
daytime           13/udp
qotd              17/tcp      quote                      # Quote of the day
qotd              17/udp      quote
chargen           19/tcp      ttytst source              # Character generator
chargen           19/udp      ttytst source
ftp-data          20/tcp                                 # File Transfer (default data)
ftp-data          20/udp
ftp               21/tcp                                 # File Transfer (control)
ftp               21/udp
ssh               22/tcp                                 # Secure Shell
ssh               22/udp
telnet            23/tcp
telnet            23/udp
smtp              25/tcp      mail                       # Simple Mail Transfer
smtp              25/udp      mail
time              37/tcp      timserver
time              37/udp      timserver
nameserver        42/tcp      name                       # Host Name Server
nameserver        42/udp      name
whois             43/tcp      nicname                    # Who Is
whois             43/udp      nicname
tacacs            49/tcp                                 # Login Host Protocol (TACACS)
tacacs            49/udp
re-mail-ck        50/tcp                                 # Remote Mail Checking Protocol
re-mail-ck        50/udp
domain            53/tcp                                 # Domain Name Server
domain            53/udp
whoispp           63/tcp                                 # whois++
whoispp           63/udp
bootps            67/tcp                                 # Bootstrap Protocol Server (DHCP)
bootps            67/udp
bootpc            68/tcp                                 # Bootstrap Protocol Client (DHCP)
bootpc            68/udp
tftp              69/tcp                                 # Trivial File Transfer
tftp              69/udp
gopher            70/tcp
gopher            70/udp
finger            79/tcp
finger            79/udp
http              80/tcp      www www-http               # World Wide Web HTTP
http              80/udp      www www-http
kerberos          88/tcp      kerberos5 krb5             # Kerberos v5
kerberos          88/udp      kerberos5 krb5
hostname          101/tcp     hostnames                  # NIC Host Name Server
hostname          101/udp     hostnames
iso-tsap          102/tcp     tsap                       # ISO-TSAP Class 0 (also Siemens S7)
iso-tsap          102/udp     tsap
csnet-ns          105/tcp     cso-ns                     # Mailbox Name Nameserver
csnet-ns          105/udp     cso-ns
rtelnet           107/tcp                                # Remote Telnet Service
rtelnet           107/udp
pop2              109/tcp     postoffice                 # Post Office Protocol - Version 2
pop2              109/udp     postoffice
pop3              110/tcp     pop-3                      # Post Office Protocol - Version 3
pop3              110/udp     pop-3
sunrpc            111/tcp     portmapper rpcbind         # SUN Remote Procedure Call
sunrpc            111/udp     portmapper rpcbind
auth              113/tcp     ident tap authentication   # Authentication Service
auth              113/udp     ident tap authentication
sftp              115/tcp                                # Simple File Transfer Protocol
sftp              115/udp
uucp-path         117/tcp                                # UUCP Path Service
uucp-path         117/udp
sqlserv           118/tcp                                # SQL Services
sqlserv           118/udp
nntp              119/tcp     readnews untp              # Network News Transfer Protocol
nntp              119/udp     readnews untp
ntp               123/tcp                                # Network Time Protocol
ntp               123/udp
pwdgen            129/tcp                                # Password Generator Protocol
pwdgen            129/udp
epmap             135/tcp     loc-srv                    # DCE endpoint resolution
epmap             135/udp     loc-srv
netbios-ns        137/tcp                                # NETBIOS Name Service
netbios-ns        137/udp
netbios-dgm       138/tcp                                # NETBIOS Datagram Service
netbios-dgm       138/udp
netbios-ssn       139/tcp                                # NETBIOS Session Service
netbios-ssn       139/udp
imap              143/tcp     imap2 imap4                # Internet Message Access Protocol
imap              143/udp     imap2 imap4
snmp              161/tcp                                # Simple Network Management Protocol
snmp              161/udp
snmp-trap         162/tcp     snmptrap                   # SNMP traps
snmp-trap         162/udp     snmptrap
cmip-man          163/tcp                                # CMIP/TCP Manager
cmip-man          163/udp
cmip-agent        164/tcp                                # CMIP/TCP Agent
cmip-agent        164/udp
mailq             174/tcp
mailq             174/udp
xdmcp             177/tcp                                # X Display Manager Control Protocol
xdmcp             177/udp
bgp               179/tcp                                # Border Gateway Protocol
bgp               179/udp
irc               194/tcp                                # Internet Relay Chat Protocol
irc               194/udp
smux              199/tcp                                # SNMP Unix Multiplexer
smux              199/udp
qmtp              209/tcp                                # Quick Mail Transfer Protocol
qmtp              209/udp
z39-50            210/tcp     wais z3950                 # ANSI Z39.50
z39-50            210/udp     wais z3950
ipx               213/tcp
ipx               213/udp
imap3             220/tcp                                # Interactive Mail Access Protocol v3
imap3             220/udp
ptp-event         319/tcp                                # Precision Time Protocol event
ptp-event         319/udp
ptp-general       320/tcp                                # Precision Time Protocol general
ptp-general       320/udp
ldap              389/tcp                                # Lightweight Directory Access Protocol
ldap              389/udp
svrloc            427/tcp                                # Server Location
svrloc            427/udp
https             443/tcp                                # HTTP over TLS
https             443/udp                                # HTTP/3 over QUIC
snpp              444/tcp                                # Simple Network Paging Protocol
snpp              444/udp
microsoft-ds      445/tcp                                # SMB directly over TCP
microsoft-ds      445/udp
kpasswd           464/tcp                                # Kerberos (v5) password change
kpasswd           464/udp
submissions       465/tcp     smtps ssmtp urd            # Message Submission over TLS
isakmp            500/tcp                                # IKE key management
isakmp            500/udp
modbus            502/tcp     mbap                       # Modbus Application Protocol (IANA: mbap)
modbus            502/udp     mbap
exec              512/tcp                                # Remote process execution
biff              512/udp     comsat
login             513/tcp                                # Remote login (rlogin)
who               513/udp     whod
shell             514/tcp     cmd                        # rsh; no passwords used
syslog            514/udp
printer           515/tcp     spooler                    # Line printer daemon (lpd)
printer           515/udp     spooler
talk              517/tcp
talk              517/udp
ntalk             518/tcp
ntalk             518/udp
efs               520/tcp                                # Extended File Name Server
router            520/udp     route routed               # RIP
ripng             521/tcp
ripng             521/udp
ibm-db2           523/tcp
ibm-db2           523/udp
timed             525/tcp     timeserver
timed             525/udp     timeserver
tempo             526/tcp     newdate
tempo             526/udp     newdate
courier           530/tcp     rpc
courier           530/udp     rpc
conference        531/tcp     chat
conference        531/udp     chat
netnews           532/tcp
netnews           532/udp
netwall           533/tcp                                # For emergency broadcasts
netwall           533/udp
uucp              540/tcp     uucpd
uucp              540/udp     uucpd
klogin            543/tcp                                # Kerberized rlogin
klogin            543/udp
kshell            544/tcp     krcmd                      # Kerberized rsh
kshell            544/udp     krcmd
dhcpv6-client     546/tcp
dhcpv6-client     546/udp
dhcpv6-server     547/tcp
dhcpv6-server     547/udp
afpovertcp        548/tcp                                # AFP over TCP
afpovertcp        548/udp
rtsp              554/tcp                                # Real Time Streaming Protocol
rtsp              554/udp
remotefs          556/tcp     rfs_server rfs
remotefs          556/udp     rfs_server rfs
nntps             563/tcp     snntp                      # NNTP over TLS
nntps             563/udp     snntp
submission        587/tcp                                # Message Submission
submission        587/udp
syslog-conn       601/tcp                                # Reliable Syslog Service
syslog-conn       601/udp
ipp               631/tcp                                # Internet Printing Protocol
ipp               631/udp
ldaps             636/tcp                                # LDAP over TLS
ldaps             636/udp
msdp              639/tcp                                # Multicast Source Discovery Protocol
msdp              639/udp
ldp               646/tcp                                # Label Distribution Protocol
ldp               646/udp
kerberos-adm      749/tcp                                # Kerberos administration
kerberos-adm      749/udp
netconf-ssh       830/tcp                                # NETCONF over SSH
netconf-ssh       830/udp
domain-s          853/tcp                                # DNS over TLS
domain-s          853/udp                                # DNS over DTLS or QUIC
iscsi             860/tcp
iscsi             860/udp
rsync             873/tcp
rsync             873/udp
ftps-data         989/tcp                                # FTP over TLS (data)
ftps-data         989/udp
ftps              990/tcp                                # FTP over TLS (control)
ftps              990/udp
telnets           992/tcp                                # Telnet over TLS
telnets           992/udp
imaps             993/tcp                                # IMAP over TLS
imaps             993/udp
ircs              994/tcp                                # IRC over TLS
ircs              994/udp
pop3s             995/tcp                                # POP3 over TLS
pop3s             995/udp
socks             1080/tcp                               # SOCKS proxy
socks             1080/udp
rmiregistry       1099/tcp                               # Java RMI registry
rmiregistry       1099/udp
openvpn           1194/tcp
openvpn           1194/udp
ms-sql-s          1433/tcp                               # Microsoft SQL Server
ms-sql-s          1433/udp
ms-sql-m          1434/tcp                               # Microsoft SQL Monitor
ms-sql-m          1434/udp
ingreslock        1524/tcp
ingreslock        1524/udp
l2tp              1701/tcp    l2f                        # Layer 2 Tunneling Protocol
l2tp              1701/udp    l2f
h323hostcall      1720/tcp                               # H.323 call setup
h323hostcall      1720/udp
pptp              1723/tcp                               # Point-to-point tunnelling protocol
pptp              1723/udp
radius            1812/tcp                               # RADIUS authentication
radius            1812/udp
radius-acct       1813/tcp    radacct                    # RADIUS accounting
radius-acct       1813/udp    radacct
mqtt              1883/tcp                               # MQTT
mqtt              1883/udp
ssdp              1900/tcp                               # Simple Service Discovery Protocol
ssdp              1900/udp
hsrp              1985/tcp                               # Hot Standby Router Protocol
hsrp              1985/udp
nfs               2049/tcp                               # Network File System
nfs               2049/udp
radsec            2083/tcp                               # RADIUS over TLS
radsec            2083/udp
gtp-control       2123/tcp                               # GPRS Tunnelling Protocol control
gtp-control       2123/udp
gtp-user          2152/tcp                               # GPRS Tunnelling Protocol user data
gtp-user          2152/udp
docker            2375/tcp                               # Docker REST API (plain)
docker-s          2376/tcp                               # Docker REST API (TLS)
etcd-client       2379/tcp
etcd-server       2380/tcp
cvspserver        2401/tcp                               # CVS client/server operations
cvspserver        2401/udp
iec-104           2404/tcp                               # IEC 60870-5-104
iec-104           2404/udp
iscsi-target      3260/tcp
iscsi-target      3260/udp
mysql             3306/tcp
mysql             3306/udp
ms-wbt-server     3389/tcp                               # Remote Desktop Protocol
ms-wbt-server     3389/udp
stun              3478/tcp    turn                       # STUN / TURN
stun              3478/udp    turn
nut               3493/tcp                               # Network UPS Tools
nut               3493/udp
distcc            3632/tcp
distcc            3632/udp
daap              3689/tcp                               # Digital Audio Access Protocol
daap              3689/udp
svn               3690/tcp    subversion
svn               3690/udp    subversion
diameter          3868/tcp
sieve             4190/tcp                               # ManageSieve
rwhois            4321/tcp                               # Referral Whois
rwhois            4321/udp
epmd              4369/tcp                               # Erlang Port Mapper Daemon
epmd              4369/udp
ntske             4460/tcp                               # Network Time Security Key Establishment
ipsec-nat-t       4500/tcp                               # IPsec NAT traversal
ipsec-nat-t       4500/udp
iax               4569/tcp                               # Inter-Asterisk eXchange
iax               4569/udp
opcua-tcp         4840/tcp                               # OPC UA
opcua-tcp         4840/udp
sip               5060/tcp                               # Session Initiation Protocol
sip               5060/udp
sips              5061/tcp    sip-tls                    # SIP over TLS
sips              5061/udp    sip-tls
xmpp-client       5222/tcp    jabber-client              # XMPP client connection
xmpp-server       5269/tcp    jabber-server              # XMPP server connection
cfengine          5308/tcp
cfengine          5308/udp
stuns             5349/tcp    turns                      # STUN / TURN over TLS
stuns             5349/udp    turns
nat-pmp           5351/udp                               # NAT Port Mapping Protocol
mdns              5353/tcp                               # Multicast DNS
mdns              5353/udp
llmnr             5355/tcp                               # Link-Local Multicast Name Resolution
llmnr             5355/udp
postgresql        5432/tcp    postgres                   # PostgreSQL Database
postgresql        5432/udp    postgres
amqps             5671/tcp                               # AMQP over TLS
amqp              5672/tcp                               # Advanced Message Queuing Protocol
amqp              5672/udp
coap              5683/tcp                               # Constrained Application Protocol
coap              5683/udp
coaps             5684/tcp                               # CoAP over TLS / DTLS
coaps             5684/udp
rfb               5900/tcp    vnc                        # Remote Framebuffer (VNC)
rfb               5900/udp    vnc
couchdb           5984/tcp
couchdb           5984/udp
wsman             5985/tcp                               # WS-Management (HTTP)
wsman             5985/udp
wsmans            5986/tcp                               # WS-Management (HTTPS)
wsmans            5986/udp
x11               6000/tcp    x11-0                      # X Window System
x11               6000/udp    x11-0
redis             6379/tcp
netconf-tls       6513/tcp                               # NETCONF over TLS
syslog-tls        6514/tcp                               # Syslog over TLS
sane-port         6566/tcp    sane saned                 # SANE network scanner daemon
babel             6696/udp                               # Babel routing protocol
ircs-u            6697/tcp                               # IRC over TLS (user)
afs3-fileserver   7000/tcp    bbs                        # AFS file server
afs3-fileserver   7000/udp    bbs
http-alt          8080/tcp    webcache                   # HTTP alternate (caching proxy)
http-alt          8080/udp    webcache
puppet            8140/tcp                               # Puppet configuration management
pcsync-https      8443/tcp                               # HTTPS on an alternate port
pcsync-https      8443/udp
secure-mqtt       8883/tcp                               # MQTT over TLS
secure-mqtt       8883/udp
git               9418/tcp                               # git pack transfer service
git               9418/udp
ndmp              10000/tcp                              # Network Data Management Protocol
ndmp              10000/udp
zabbix-agent      10050/tcp
zabbix-agent      10050/udp
zabbix-trapper    10051/tcp
zabbix-trapper    10051/udp
nbd               10809/tcp                              # Network Block Device
memcache          11211/tcp                              # Memory cache service
memcache          11211/udp
hkp               11371/tcp                              # OpenPGP HTTP Keyserver
hkp               11371/udp
dnp               20000/tcp                              # DNP3
dnp               20000/udp
minecraft         25565/tcp
minecraft         25565/udp
mongodb           27017/tcp                              # MongoDB
mongodb           27017/udp
mysqlx            33060/tcp                              # MySQL X Protocol
EtherNet-IP-2     44818/tcp                              # EtherNet/IP messaging
EtherNet-IP-2     44818/udp
bacnet            47808/tcp                              # Building Automation and Control Networks
bacnet            47808/udp
`;
