/* The programs of the helpdesk demo (helpdesk-demo.sh), one binary copied under the names
 * the demo needs. Everything stays inside the demo's network namespace.
 *   fanout PREFIX PORT COUNT  connect to PREFIX.1 .. PREFIX.COUNT on PORT and wait (SYN_SENT),
 *                             again every 90 s
 *   serve PORT                accept on 127.0.0.1:PORT and read what clients send
 *   send PORT BYTES_PER_S     connect to 127.0.0.1:PORT and send at about that rate */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int fanout(const char* prefix, int port, int count) {
    int sockets[255];
    count = count < 254 ? count : 254;
    /* An unanswered connect gives up after about two minutes: start over before that. */
    for (;;) {
        for (int i = 1; i <= count; ++i) {
            int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
            struct sockaddr_in to = {.sin_family = AF_INET,
                                     .sin_port = htons((unsigned short)port)};
            char address[64];
            snprintf(address, sizeof address, "%s.%d", prefix, i);
            if (fd < 0 || inet_pton(AF_INET, address, &to.sin_addr) != 1) {
                return 1;
            }
            connect(fd, (struct sockaddr*)&to, sizeof to);
            sockets[i] = fd;
            usleep(100000);
        }
        sleep(90);
        for (int i = 1; i <= count; ++i) {
            close(sockets[i]);
        }
    }
}

static int serve(int port) {
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in at = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (bind(listener, (struct sockaddr*)&at, sizeof at) != 0 || listen(listener, 8) != 0) {
        return 1;
    }
    int client = accept(listener, NULL, NULL);
    char buffer[65536];
    while (client >= 0 && read(client, buffer, sizeof buffer) > 0) {
    }
    return 0;
}

static int send_at(int port, long bytesPerSecond) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    for (int attempt = 0; connect(fd, (struct sockaddr*)&to, sizeof to) != 0; ++attempt) {
        if (attempt == 50) {
            return 1;
        }
        usleep(100000);
    }
    static char chunk[4096];
    memset(chunk, 'x', sizeof chunk);
    const long chunksPerTenth = bytesPerSecond / 10 / (long)sizeof chunk + 1;
    for (;;) {
        for (long i = 0; i < chunksPerTenth; ++i) {
            if (write(fd, chunk, sizeof chunk) < 0) {
                return 0;
            }
        }
        usleep(100000);
    }
}

int main(int argc, char** argv) {
    if (argc == 5 && strcmp(argv[1], "fanout") == 0) {
        return fanout(argv[2], atoi(argv[3]), atoi(argv[4]));
    }
    if (argc == 3 && strcmp(argv[1], "serve") == 0) {
        return serve(atoi(argv[2]));
    }
    if (argc == 4 && strcmp(argv[1], "send") == 0) {
        return send_at(atoi(argv[2]), atol(argv[3]));
    }
    fprintf(stderr, "usage: see the comment at the top of demo_peer.c\n");
    return 2;
}
