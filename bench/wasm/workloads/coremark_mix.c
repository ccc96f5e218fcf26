// A CoreMark-like mix: linked-list search and reversal, small matrix multiply, a string-scanning
// state machine and a CRC over the results, n iterations.
#include "common.h"

typedef struct Node {
  struct Node* next;
  int value;
} Node;

static Node nodes[64];
static int ma[8][8], mb[8][8], mc[8][8];
static const char text[] = "123,-45.6e7,x9,+0.25,77,abc,-1,3.14159,8e-3,42,junk,.5";

static unsigned short crc16(unsigned short crc, unsigned char byte) {
  crc ^= byte;
  for (int k = 0; k < 8; ++k) crc = (crc & 1) ? (crc >> 1) ^ 0xA001 : crc >> 1;
  return crc;
}

static Node* reverse(Node* head) {
  Node* prev = 0;
  while (head) {
    Node* next = head->next;
    head->next = prev;
    prev = head;
    head = next;
  }
  return prev;
}

static int list_work(Node* head, int key) {
  int found = 0;
  for (Node* p = head; p; p = p->next) {
    if (p->value == key) ++found;
    p->value = (p->value * 5 + 3) & 1023;
  }
  return found;
}

static int matrix_work(int seed) {
  for (int i = 0; i < 8; ++i)
    for (int j = 0; j < 8; ++j) {
      ma[i][j] = (i * 8 + j + seed) & 15;
      mb[i][j] = (j * 8 + i - seed) & 15;
    }
  int sum = 0;
  for (int i = 0; i < 8; ++i)
    for (int j = 0; j < 8; ++j) {
      int acc = 0;
      for (int k = 0; k < 8; ++k) acc += ma[i][k] * mb[k][j];
      mc[i][j] = acc;
      sum += acc;
    }
  return sum;
}

enum State { kStart, kInt, kFrac, kExp, kInvalid };

static int state_machine(void) {
  int counts[5] = {0, 0, 0, 0, 0};
  enum State s = kStart;
  for (const char* p = text;; ++p) {
    const char c = *p;
    if (c == ',' || c == 0) {
      counts[s]++;
      s = kStart;
      if (c == 0) break;
      continue;
    }
    switch (s) {
      case kStart: s = (c >= '0' && c <= '9') || c == '+' || c == '-' ? kInt : c == '.' ? kFrac : kInvalid; break;
      case kInt: s = c == '.' ? kFrac : (c == 'e' || c == 'E') ? kExp : (c >= '0' && c <= '9') ? kInt : kInvalid; break;
      case kFrac: s = (c == 'e' || c == 'E') ? kExp : (c >= '0' && c <= '9') ? kFrac : kInvalid; break;
      case kExp: s = (c >= '0' && c <= '9') || c == '-' ? kExp : kInvalid; break;
      case kInvalid: break;
    }
  }
  return counts[kInt] * 1000 + counts[kFrac] * 100 + counts[kExp] * 10 + counts[kInvalid];
}

EXPORT int run(int n) {
  for (int i = 0; i < 64; ++i) {
    nodes[i].value = (i * 37) & 1023;
    nodes[i].next = i + 1 < 64 ? &nodes[i + 1] : 0;
  }
  Node* head = &nodes[0];
  unsigned short crc = 0;
  for (int iter = 0; iter < n; ++iter) {
    const int found = list_work(head, iter & 1023);
    head = reverse(head);
    const int m = matrix_work(iter);
    const int s = state_machine();
    crc = crc16(crc, (unsigned char)found);
    crc = crc16(crc, (unsigned char)m);
    crc = crc16(crc, (unsigned char)(m >> 8));
    crc = crc16(crc, (unsigned char)s);
  }
  return crc;
}
