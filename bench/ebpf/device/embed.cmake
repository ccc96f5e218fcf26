# cmake -DINPUT=file -DOUTPUT=file.c -DNAME=symbol -P embed.cmake
# Writes `const unsigned char NAME[]` and `const unsigned long NAME_size` holding INPUT's bytes.
file(READ ${INPUT} hex HEX)
string(LENGTH "${hex}" length)
math(EXPR size "${length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
file(WRITE ${OUTPUT} "const unsigned char ${NAME}[] __attribute__((aligned(8))) = {${bytes}};\nconst unsigned long ${NAME}_size = ${size};\n")
