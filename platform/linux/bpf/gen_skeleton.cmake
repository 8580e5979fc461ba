# Embeds the compiled programs in a C header (bpftool gen skeleton):
#   cmake -DBPFTOOL=... -DOBJECT=sensor.bpf.o -DNAME=portscope_sensor -DOUTPUT=sensor.skel.h
#         -P gen_skeleton.cmake
execute_process(COMMAND "${BPFTOOL}" gen skeleton "${OBJECT}" name ${NAME}
                OUTPUT_FILE "${OUTPUT}.part" RESULT_VARIABLE result ERROR_VARIABLE error)
if(NOT result EQUAL 0)
  file(REMOVE "${OUTPUT}.part")
  message(FATAL_ERROR "bpftool could not make a skeleton of ${OBJECT}: ${error}")
endif()
file(RENAME "${OUTPUT}.part" "${OUTPUT}")
