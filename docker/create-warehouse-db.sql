CREATE DATABASE itaflow OWNER airflow;
