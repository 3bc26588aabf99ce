{{/* The driver flags shared by the node and the controller: S3 defaults. */}}
{{- define "s3csi.s3Args" -}}
{{- if .Values.s3.endpointUrl }}
- --s3-endpoint-url={{ .Values.s3.endpointUrl }}
{{- end }}
{{- if .Values.s3.region }}
- --s3-region={{ .Values.s3.region }}
{{- end }}
{{- if .Values.s3.pathStyle }}
- --s3-path-style
{{- end }}
{{- end -}}

{{/* The driver's identity from the optional credentials secret. */}}
{{- define "s3csi.credentialsEnv" -}}
{{- if .Values.credentials.secretName }}
- name: AWS_ACCESS_KEY_ID
  valueFrom:
    secretKeyRef:
      name: {{ .Values.credentials.secretName }}
      key: accessKeyId
      optional: true
- name: AWS_SECRET_ACCESS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ .Values.credentials.secretName }}
      key: secretAccessKey
      optional: true
{{- end }}
{{- end -}}

{{/* The driver's metrics address and log flags, shared by the node and controller plugins. */}}
{{- define "s3csi.observabilityArgs" -}}
{{- if .Values.metrics.port }}
- --metrics-address=:{{ .Values.metrics.port }}
{{- end }}
- --log-format={{ .Values.logging.format }}
- --log-level={{ .Values.logging.level }}
{{- end -}}
